package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.config.Ids;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.Tokens;
import dev.reelroute.tokens.TokenLedger;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Destination;
import jakarta.jms.Session;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * jms-inbound: a request off {@code reelroute.jobs.submit} (sent to the route's {@code direct:} as the broker hands it
 * over: the JMS message as the body, its headers and properties as headers), with what it sends on swapped by mocks:
 * the job hand-off ({@code enqueue-job}), the reply to the request's JMSReplyTo ({@code send-submit-reply}) and the
 * dead-letter copy ({@code park-refused-submission}). What a producer sees: the reply (its body, destination and
 * correlation id) and the dead-letter copy.
 */
class JmsInboundRouteTest extends StageRouteTest {
    private static final String GENERATE = "{\"kind\":\"generate\",\"prompt\":\"a lighthouse in a storm\"}";
    private static final String VIDEO_JOB = "{\"kind\":\"video-job\",\"prompt\":\"a lighthouse\","
            + "\"model\":\"veo-3.1-fast-generate-preview\",\"resolution\":\"720p\",\"aspectRatio\":\"16:9\","
            + "\"durationSeconds\":4,\"mockMode\":true}";
    private static final int VIDEO_JOB_COST = 50;

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    TokenLedger ledger;
    @Autowired
    ObjectMapper json;

    private Connection connection;
    private Session session;
    private Destination replyTo;
    private AccountStore.CreatedKey account;
    /** The JMSMessageID of the last request sent (the route takes the request's headers off as it goes). */
    private String messageId;

    @BeforeEach
    void producer() throws Exception {
        connection = connectionFactory.createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        replyTo = session.createQueue("producer.replies");
        account = newAccount("jms-inbound-" + Ids.newId());
    }

    @AfterEach
    void closeProducer() throws Exception {
        connection.close();
    }

    /** One request as jms-submit receives it; returns once the route has finished with it. */
    private void submit(String body, String apiKey, Map<String, Object> properties) {
        messageId = "ID:route-test-" + Ids.newId();
        Exchange done = template.send("direct:jms-submit", exchange -> {
            Message message = exchange.getMessage();
            message.setBody(session.createTextMessage(body));
            message.setHeader(JmsConstants.JMS_HEADER_MESSAGE_ID, messageId);
            message.setHeader(JmsConstants.JMS_HEADER_CORRELATION_ID, "order-" + messageId);
            message.setHeader(JmsConstants.JMS_HEADER_REPLY_TO, replyTo);
            message.setHeader("orderRef", "PO-7");
            if (apiKey != null) {
                message.setHeader("apiKey", apiKey);
            }
            properties.forEach(message::setHeader);
        });
        assertThat(done.getException()).as("every failure is handled: answered and parked").isNull();
    }

    private void submit(String body) {
        submit(body, account.apiKey(), Map.of());
    }

    /** The one reply sent for the request, checked for its address. */
    private JsonNode onlyReply() throws Exception {
        MockEndpoint replies = mock(SUBMIT_REPLY);
        assertThat(replies.getReceivedExchanges()).hasSize(1);
        Message reply = replies.getReceivedExchanges().get(0).getMessage();
        assertThat(reply.getHeader(JmsConstants.JMS_DESTINATION)).isSameAs(replyTo);
        assertThat(reply.getHeader(JmsConstants.JMS_HEADER_CORRELATION_ID))
                .isEqualTo("order-" + messageId);
        assertThat(reply.getHeaders()).as("no request property goes back").doesNotContainKeys("orderRef", "apiKey");
        return json.readTree(reply.getBody(String.class));
    }

    private int accountJobs() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM jobs WHERE account_id = ?", Integer.class,
                account.accountId());
    }

    @Test
    void anAcceptedRequestIsQueuedAndAnsweredWithItsPendingJob() throws Exception {
        submit(GENERATE);

        JsonNode reply = onlyReply();
        assertThat(reply.get("status").asText()).isEqualTo("PENDING");
        String jobId = reply.get("jobId").asText();
        Job job = jobStore.find(jobId).orElseThrow();
        assertThat(job.accountId()).isEqualTo(account.accountId());
        assertThat(job.kind()).isEqualTo(Job.KIND_GENERATE);
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(mock(JOB_QUEUE).getReceivedExchanges()).singleElement()
                .satisfies(queued -> assertThat(queued.getMessage().getBody(String.class)).isEqualTo(jobId));
        assertThat(mock(SUBMIT_DEAD_LETTER).getReceivedCounter()).isZero();
    }

    @Test
    void aRequestWithoutItsKeyIsAnsweredUnauthorizedAndParkedAsItCameWithoutTheKey() throws Exception {
        submit(GENERATE, null, Map.of());

        JsonNode error = onlyReply().get("error");
        assertThat(error.get("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(error.get("message").asText()).startsWith("Missing apiKey property");
        Message parked = onlyDeadLetter();
        assertThat(parked.getBody(String.class)).isEqualTo(GENERATE);
        assertThat(parked.getHeader("errorCode")).isEqualTo("UNAUTHORIZED");
        assertThat(parked.getHeader("reason", String.class)).startsWith("Missing apiKey property");
        assertThat(parked.getHeader("originalMessageId")).isEqualTo(messageId);
        assertThat(parked.getHeader(JmsConstants.JMS_HEADER_CORRELATION_ID)).isEqualTo("order-" + messageId);
        assertThat(parked.getHeader("orderRef")).as("the producer's own properties go along").isEqualTo("PO-7");
        assertThat(mock(JOB_QUEUE).getReceivedCounter()).isZero();
    }

    @Test
    void anInvalidRequestIsAnsweredWithTheFieldErrorAndMakesNoJob() throws Exception {
        String invalid = VIDEO_JOB.replace("720p", "4k");

        submit(invalid);

        JsonNode error = onlyReply().get("error");
        assertThat(error.get("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(error.get("message").asText()).contains("Resolution must be '720p' or '1080p'");
        Message parked = onlyDeadLetter();
        assertThat(parked.getBody(String.class)).isEqualTo(invalid);
        assertThat(parked.getHeaders()).doesNotContainKey("apiKey");
        assertThat(accountJobs()).isZero();
        assertThat(mock(JOB_QUEUE).getReceivedCounter()).isZero();
    }

    @Test
    void theBrokerRefusingTheHandOffIsAnsweredServiceUnavailableAndTheTokensComeBack() throws Exception {
        Tokens.topUp(template, account.accountId(), VIDEO_JOB_COST);
        mock(JOB_QUEUE).whenAnyExchangeReceived(exchange -> {
            throw new IllegalStateException("AMQ219010: Connection is destroyed");
        });

        submit(VIDEO_JOB);

        JsonNode error = onlyReply().get("error");
        assertThat(error.get("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(error.get("message").asText())
                .isEqualTo("The job queue is unavailable; retry with exponential backoff");
        assertThat(onlyDeadLetter().getHeader("errorCode")).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(accountJobs()).as("no job left that nobody was told about").isZero();
        assertThat(ledger.balance(account.accountId())).as("charged, then refunded").isEqualTo(VIDEO_JOB_COST);
    }

    @Test
    void aRepeatedIdempotencyKeyGetsTheFirstReplyAndMakesNothingMore() throws Exception {
        Map<String, Object> key = Map.of("idempotencyKey", "nightly-42");
        submit(GENERATE, account.apiKey(), key);
        JsonNode first = onlyReply();
        MockEndpoint.resetMocks(camel);

        submit(GENERATE, account.apiKey(), key);

        JsonNode replayed = onlyReply();
        assertThat(replayed).isEqualTo(first);
        assertThat(mock(JOB_QUEUE).getReceivedCounter()).as("not queued again").isZero();
        assertThat(accountJobs()).isEqualTo(1);
    }

    @Test
    void anIdempotencyKeyReusedForAnotherRequestIsRefused() throws Exception {
        Map<String, Object> key = Map.of("idempotencyKey", "nightly-43");
        submit(GENERATE, account.apiKey(), key);
        onlyReply();
        MockEndpoint.resetMocks(camel);

        submit(GENERATE.replace("storm", "fog"), account.apiKey(), key);

        JsonNode error = onlyReply().get("error");
        assertThat(error.get("code").asText()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(onlyDeadLetter().getHeader("errorCode")).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(accountJobs()).isEqualTo(1);
    }

    @Test
    void aReplyToOneOfTheServicesOwnQueuesIsNotSentButTheJobIsMade() throws Exception {
        replyTo = session.createQueue("reelroute.jobs");

        submit(GENERATE);

        assertThat(mock(SUBMIT_REPLY).getReceivedCounter()).as("no job id sent to reelroute.jobs as a reply")
                .isZero();
        assertThat(mock(JOB_QUEUE).getReceivedCounter()).isEqualTo(1);
        assertThat(accountJobs()).isEqualTo(1);
    }

    @Test
    void aReplyThatCannotBeSentLeavesTheJobStandingAndParksNothing() throws Exception {
        mock(SUBMIT_REPLY).whenAnyExchangeReceived(exchange -> {
            throw new IllegalStateException("AMQ219017: the temporary queue is gone");
        });

        submit(GENERATE);

        assertThat(mock(SUBMIT_REPLY).getReceivedCounter()).isEqualTo(1);
        assertThat(mock(JOB_QUEUE).getReceivedCounter()).isEqualTo(1);
        String jobId = mock(JOB_QUEUE).getReceivedExchanges().get(0).getMessage().getBody(String.class);
        assertThat(jobStore.find(jobId)).map(Job::status).contains(JobStatus.PENDING);
        assertThat(mock(SUBMIT_DEAD_LETTER).getReceivedCounter()).isZero();
    }

    private Message onlyDeadLetter() {
        assertThat(mock(SUBMIT_DEAD_LETTER).getReceivedExchanges()).hasSize(1);
        return mock(SUBMIT_DEAD_LETTER).getReceivedExchanges().get(0).getMessage();
    }
}
