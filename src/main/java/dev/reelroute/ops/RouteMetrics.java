package dev.reelroute.ops;

import dev.reelroute.job.NewJob;
import dev.reelroute.job.PlannedRender;
import dev.reelroute.job.ProgressEvent;
import dev.reelroute.tokens.LedgerEntry;
import dev.reelroute.tokens.TopUp;
import dev.reelroute.webhook.WebhookDelivery;
import dev.reelroute.webhook.WebhookDispatcher;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.spi.CamelEvent.StepEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The service's meters, from the routes themselves: the one Camel event notifier (a bean, so Camel picks it up) that
 * watches a few steps of the route files and records what they did in {@link OpsMetrics}. No route or bean calls it.
 * <ul>
 * <li>a job's stages ({@code reelroute.job.stage}): each call of the {@code report-stage} kamelet that went through
 * starts the stage it reports (its {@code progressEvent}) on the {@link StageClock}; a {@code report-status} of a
 * terminal status ends the job's last one;</li>
 * <li>the render ({@code reelroute.ffmpeg.render}, {@code reelroute.ffmpeg.realtime.factor}): video-compile's step
 * {@value #RENDER_STEP}, timed from the start the route records just before it ({@code ffmpegStartedNanos}) to the
 * step's successful end (a failed render is not timed), over the seconds of video of its
 * {@code renderPlan}, tagged with the job's kind ({@code jobKind});</li>
 * <li>webhooks ({@code reelroute.webhook.attempts}): the outcome webhook-attempt and webhook-exhausted recorded for the
 * attempt or the event ({@link WebhookDispatcher#OUTCOME}), once each returns;</li>
 * <li>the ledger's moves ({@code reelroute.tokens}), the steps of token-ledger.camel.yaml: charge-job's
 * {@value #CHARGE_STEP} (the job's {@code newJob}), refund-job's {@value #REFUND_STEP} (its {@code jobCharge}: a failed
 * job's, a job cancelled before it ran, a hand-off the broker refused) and top-up-account's {@value #TOP_UP_STEP} (its
 * {@code topUp}) done, their tokens counted once their transaction commits, so a move rolled back is never counted.
 * The bootstrap account's opening balance, written at start-up before the routes run, is not counted.</li>
 * </ul>
 * It sees every exchange sent anywhere, so {@link #isEnabled} lets through only the sends to those endpoints and
 * those four steps, by type first; everything else is ignored before an event is made.
 */
@Component
public class RouteMetrics extends EventNotifierSupport {
    /** video-compile's step around the render's {@code exec:} (video-compile.camel.yaml). */
    static final String RENDER_STEP = "ffmpeg-render";
    /** refund-job's step that writes a refund: the ledger row, the credit, the balance (token-ledger.camel.yaml). */
    static final String REFUND_STEP = "refund-tokens";
    /** charge-job's step that writes a job's charge to the ledger (token-ledger.camel.yaml). */
    static final String CHARGE_STEP = "charge-tokens";
    /** top-up-account's step that writes a top-up: the credit and its ledger row (token-ledger.camel.yaml). */
    static final String TOP_UP_STEP = "top-up-tokens";
    private static final String KAMELET = "kamelet:";
    private static final String REPORT_STAGE = "report-stage";
    private static final String REPORT_STATUS = "report-status";
    private static final String WEBHOOK_ATTEMPT = "direct://webhook-attempt";
    private static final String WEBHOOK_EXHAUSTED = "direct://webhook-exhausted";

    private final OpsMetrics metrics;
    private final StageClock stages;

    public RouteMetrics(OpsMetrics metrics, StageClock stages) {
        this.metrics = metrics;
        this.stages = stages;
        setIgnoreCamelContextInitEvents(true);
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return switch (event.getType()) {
            // the sending event is let through too: Camel times a send (and then tells its sent event) only when a
            // notifier took the sending one
            case ExchangeSending -> observed(((ExchangeSendingEvent) event).getEndpoint());
            case ExchangeSent -> observed(((ExchangeSentEvent) event).getEndpoint());
            case StepCompleted -> {
                String step = ((StepEvent) event).getStepId();
                yield RENDER_STEP.equals(step) || REFUND_STEP.equals(step) || CHARGE_STEP.equals(step)
                        || TOP_UP_STEP.equals(step);
            }
            default -> false;
        };
    }

    private static boolean observed(Endpoint endpoint) {
        String uri = endpoint.getEndpointUri();
        return uri.equals(WEBHOOK_ATTEMPT) || uri.equals(WEBHOOK_EXHAUSTED) || isKamelet(uri, REPORT_STAGE)
                || isKamelet(uri, REPORT_STATUS);
    }

    /** A use of the kamelet {@code name}: its endpoint is {@code kamelet:name?parameters} (or {@code kamelet://name}). */
    private static boolean isKamelet(String uri, String name) {
        if (!uri.startsWith(KAMELET)) {
            return false;
        }
        int at = uri.startsWith("//", KAMELET.length()) ? KAMELET.length() + 2 : KAMELET.length();
        int end = at + name.length();
        return uri.startsWith(name, at) && (uri.length() == end || uri.charAt(end) == '?');
    }

    @Override
    public void notify(CamelEvent event) {
        switch (event.getType()) {
            case ExchangeSent -> sent((ExchangeSentEvent) event);
            case StepCompleted -> {
                StepEvent step = (StepEvent) event;
                switch (step.getStepId()) {
                    case RENDER_STEP -> rendered(step.getExchange());
                    case REFUND_STEP -> refunded(step.getExchange());
                    case TOP_UP_STEP -> toppedUp(step.getExchange());
                    default -> charged(step.getExchange());
                }
            }
            default -> {
                // ExchangeSending: nothing to do but let its sent event come
            }
        }
    }

    private void sent(ExchangeSentEvent sent) {
        Exchange exchange = sent.getExchange();
        String uri = sent.getEndpoint().getEndpointUri();
        if (uri.equals(WEBHOOK_ATTEMPT)) {
            String outcome = exchange.getProperty(WebhookDispatcher.OUTCOME, String.class);
            if (WebhookDelivery.DELIVERED.equals(outcome) || WebhookDelivery.FAILED.equals(outcome)) {
                metrics.webhookAttempted(outcome);
            }
        } else if (uri.equals(WEBHOOK_EXHAUSTED)) {
            if (WebhookDelivery.EXHAUSTED.equals(exchange.getProperty(WebhookDispatcher.OUTCOME, String.class))) {
                metrics.webhookAttempted(WebhookDelivery.EXHAUSTED);
            }
        } else if (exchange.getException() == null) {
            // a reporting kamelet that went through: the event it built is the exchange's progressEvent now
            ProgressEvent reported = exchange.getProperty("progressEvent", ProgressEvent.class);
            if (reported == null) {
                return;
            }
            if ("stage".equals(reported.type())) {
                stages.enter(reported.jobId(), reported.kind(), reported.stage());
            } else if (reported.isTerminal()) {
                stages.end(reported.jobId());
            }
        }
    }

    private void rendered(Exchange exchange) {
        Long started = exchange.getProperty("ffmpegStartedNanos", Long.class);
        PlannedRender plan = exchange.getProperty("renderPlan", PlannedRender.class);
        if (started == null || plan == null) {
            return;
        }
        long nanos = System.nanoTime() - started;
        if (nanos > 0) {
            metrics.ffmpegRendered(exchange.getProperty("jobKind", String.class), nanos, plan.durationSeconds());
        }
    }

    private void refunded(Exchange exchange) {
        Map<?, ?> charge = exchange.getMessage().getHeader("jobCharge", Map.class);
        if (charge != null && charge.get("tokens") instanceof Number tokens) {
            countOnceCommitted(LedgerEntry.REFUND, tokens.longValue());
        }
    }

    private void charged(Exchange exchange) {
        NewJob job = exchange.getVariable("newJob", NewJob.class);
        if (job != null) {
            countOnceCommitted(LedgerEntry.CHARGE, job.tokensConsumed());
        }
    }

    private void toppedUp(Exchange exchange) {
        TopUp topUp = exchange.getVariable("topUp", TopUp.class);
        if (topUp != null) {
            countOnceCommitted(LedgerEntry.TOP_UP, topUp.amount());
        }
    }

    /** Tokens the ledger moved, counted when the transaction that moved them commits (never when it rolls back). */
    private void countOnceCommitted(String kind, long amount) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            metrics.tokensMoved(kind, amount);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                metrics.tokensMoved(kind, amount);
            }
        });
    }
}
