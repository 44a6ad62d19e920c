package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.job.Job;
import dev.reelroute.webhook.WebhookDelivery;
import dev.reelroute.webhook.WebhookDeliveryStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * webhook-deliver: one attempt per message, signed and POSTed (the POST is the mock {@code post-webhook}), recorded;
 * a failed attempt schedules the next one on the broker ({@code schedule-next-attempt}), and the last one parks the
 * event on the dead-letter queue ({@code park-webhook}). The schedule here is 0 s, 50 ms, 100 ms: three attempts.
 */
class WebhookDeliverRouteTest extends StageRouteTest {
    private static final String HOOK = "http://127.0.0.1:9/hooks/route-test";
    private static final String PAYLOAD = "{\"jobId\":\"%s\",\"status\":\"COMPLETED\"}";

    @Autowired
    WebhookDeliveryStore deliveries;

    /** Sends one delivery message, as the broker hands it over, and returns once webhook-deliver has finished it. */
    private void deliver(Job job, String eventId, Integer attempt) {
        NotifyBuilder finished = new NotifyBuilder(camel).fromRoute("webhook-deliver").whenCompleted(1).create();
        template.send("direct:webhook-deliver", exchange -> {
            Message message = exchange.getMessage();
            message.setHeader("jobId", job.id());
            message.setHeader("eventId", eventId);
            if (attempt != null) {
                message.setHeader("webhookAttempt", attempt);
            }
            message.setBody(PAYLOAD.formatted(job.id()));
        });
        assertThat(finished.matches(10, TimeUnit.SECONDS)).as("webhook-deliver completed (handled)").isTrue();
    }

    /** reelroute.webhook.attempts of that outcome so far. */
    private double attempts(String outcome) {
        return counted("reelroute.webhook.attempts", "outcome", outcome);
    }

    private void receiverAnswers(int status) {
        mock(WEBHOOK_RECEIVER).whenAnyExchangeReceived(
                exchange -> exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status));
    }

    @Test
    void aReceiverAnswering2xxGetsOneSignedPostAndTheAttemptIsRecordedDelivered() throws Exception {
        Job job = imageAudioJob(HOOK);
        receiverAnswers(204);
        double delivered = attempts(WebhookDelivery.DELIVERED);
        double failed = attempts(WebhookDelivery.FAILED);

        deliver(job, "evt_delivered", null);

        MockEndpoint receiver = mock(WEBHOOK_RECEIVER);
        receiver.expectedMessageCount(1);
        receiver.assertIsSatisfied();
        Message post = receiver.getReceivedExchanges().get(0).getMessage();
        assertThat(post.getHeader(Exchange.HTTP_URI)).isEqualTo(HOOK);
        assertThat(post.getHeader(Exchange.HTTP_METHOD)).isEqualTo("POST");
        assertThat(post.getHeader("webhook-id")).isEqualTo("evt_delivered");
        assertThat(post.getHeader("webhook-signature", String.class)).startsWith("v1,");
        assertThat(post.getBody(String.class)).isEqualTo(PAYLOAD.formatted(job.id()));
        assertThat(post.getHeaders().keySet()).as("only the headers prepareAttempt sets reach the receiver")
                .doesNotContain("jobId", "eventId");

        assertThat(deliveries.forJob(job.id())).singleElement().satisfies(d -> {
            assertThat(d.attempt()).isEqualTo(1);
            assertThat(d.statusCode()).isEqualTo(204);
            assertThat(d.outcome()).isEqualTo(WebhookDelivery.DELIVERED);
        });
        assertNothingSentFor(mock(NEXT_WEBHOOK_ATTEMPT), job);
        assertNothingSentFor(mock(WEBHOOK_DEAD_LETTER), job);
        assertThat(attempts(WebhookDelivery.DELIVERED)).as("counted delivered").isEqualTo(delivered + 1);
        assertThat(attempts(WebhookDelivery.FAILED)).isEqualTo(failed);
    }

    @Test
    void aFailedAttemptIsRecordedAndTheNextOneScheduledOnTheBroker() throws Exception {
        Job job = imageAudioJob(HOOK);
        receiverAnswers(503);
        long before = System.currentTimeMillis();
        double delivered = attempts(WebhookDelivery.DELIVERED);
        double failed = attempts(WebhookDelivery.FAILED);

        deliver(job, "evt_retried", null);

        assertThat(deliveries.forJob(job.id())).singleElement().satisfies(d -> {
            assertThat(d.attempt()).isEqualTo(1);
            assertThat(d.statusCode()).isEqualTo(503);
            assertThat(d.outcome()).isEqualTo(WebhookDelivery.FAILED);
            assertThat(d.error()).isEqualTo("Receiver answered 503");
        });
        assertThat(sentFor(mock(NEXT_WEBHOOK_ATTEMPT), job)).isEqualTo(1);
        Message scheduled = firstSentFor(mock(NEXT_WEBHOOK_ATTEMPT), job);
        assertThat(scheduled.getHeaders()).containsAllEntriesOf(Map.of("jobId", job.id(), "eventId", "evt_retried"));
        assertThat(scheduled.getHeader("webhookAttempt", Integer.class)).isEqualTo(2);
        // due after the schedule's second step (50 ms), as an absolute time the broker holds the message until
        assertThat(scheduled.getHeader("_AMQ_SCHED_DELIVERY", Long.class)).isGreaterThanOrEqualTo(before + 45);
        assertThat(scheduled.getBody(String.class)).as("the same event again").isEqualTo(PAYLOAD.formatted(job.id()));
        assertNothingSentFor(mock(WEBHOOK_DEAD_LETTER), job);
        assertThat(attempts(WebhookDelivery.FAILED)).as("counted failed").isEqualTo(failed + 1);
        assertThat(attempts(WebhookDelivery.DELIVERED)).isEqualTo(delivered);
    }

    @Test
    void theLastAttemptFailingParksTheEventOnTheDeadLetterQueue() throws Exception {
        Job job = imageAudioJob(HOOK);
        receiverAnswers(500);
        double failed = attempts(WebhookDelivery.FAILED);
        double exhausted = attempts(WebhookDelivery.EXHAUSTED);

        deliver(job, "evt_exhausted", 3);

        List<WebhookDelivery> attempts = deliveries.forJob(job.id());
        assertThat(attempts).extracting(WebhookDelivery::outcome)
                .containsExactly(WebhookDelivery.FAILED, WebhookDelivery.EXHAUSTED);
        assertThat(attempts.get(0).attempt()).isEqualTo(3);
        assertThat(attempts.get(1).error()).isEqualTo("Gave up after all retries");
        assertThat(sentFor(mock(WEBHOOK_DEAD_LETTER), job)).isEqualTo(1);
        Message parked = firstSentFor(mock(WEBHOOK_DEAD_LETTER), job);
        assertThat(parked.getHeader("eventId")).isEqualTo("evt_exhausted");
        assertThat(parked.getHeaders()).as("only the ids go along").containsOnlyKeys("jobId", "eventId");
        assertThat(parked.getBody(String.class)).isEqualTo(PAYLOAD.formatted(job.id()));
        assertNothingSentFor(mock(NEXT_WEBHOOK_ATTEMPT), job);
        assertThat(attempts(WebhookDelivery.FAILED)).as("the last attempt counted failed").isEqualTo(failed + 1);
        assertThat(attempts(WebhookDelivery.EXHAUSTED)).as("the event counted exhausted").isEqualTo(exhausted + 1);
    }

    @Test
    void anAttemptForAJobThatIsGoneRecordsNothingAndCountsNothing() throws Exception {
        Job job = imageAudioJob(HOOK);
        assertThat(jobStore.delete(job.id(), job.accountId())).isTrue();
        double failed = attempts(WebhookDelivery.FAILED);
        double delivered = attempts(WebhookDelivery.DELIVERED);

        deliver(job, "evt_gone", null);

        assertThat(deliveries.forJob(job.id())).isEmpty();
        assertThat(mock(WEBHOOK_RECEIVER).getReceivedCounter()).as("nothing POSTed").isZero();
        assertThat(attempts(WebhookDelivery.FAILED)).isEqualTo(failed);
        assertThat(attempts(WebhookDelivery.DELIVERED)).isEqualTo(delivered);
    }
}
