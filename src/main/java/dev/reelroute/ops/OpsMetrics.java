package dev.reelroute.ops;

import dev.reelroute.provider.ProviderCallObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The service's own meters, all named {@code reelroute.*} ({@code reelroute_*} on the Prometheus scrape). The beans
 * where things happen call these methods; the gauges (job counts, queue depths) are binders of their own.
 * Tag values are small, fixed sets (job kinds, stage names, outcomes): never ids or user text.
 */
@Component
public class OpsMetrics implements ProviderCallObserver {
    private static final Duration[] SLOS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
            Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(30)};

    private final MeterRegistry registry;

    public OpsMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A job left a stage (for the next one, or because it ended). */
    public void stageEnded(String kind, String stage, long nanos) {
        Timer.builder("reelroute.job.stage")
                .description("Time a job spent in a stage (preparing, generating, rendering, uploading ...)")
                .tag("kind", nonNull(kind)).tag("stage", nonNull(stage))
                .serviceLevelObjectives(SLOS)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One finished FFmpeg render of a job's video: its wall time and how many seconds of video per second. */
    public void ffmpegRender(String kind, double wallSeconds, double realtimeFactor) {
        Timer.builder("reelroute.ffmpeg.render")
                .description("Wall time of a job's FFmpeg render")
                .tag("kind", nonNull(kind))
                .serviceLevelObjectives(SLOS)
                .register(registry)
                .record(Math.round(wallSeconds * 1e9), TimeUnit.NANOSECONDS);
        DistributionSummary.builder("reelroute.ffmpeg.realtime.factor")
                .description("Seconds of video rendered per second of wall time (above 1: faster than realtime)")
                .tag("kind", nonNull(kind))
                .serviceLevelObjectives(0.5, 1, 2, 5, 10, 20)
                .register(registry)
                .record(realtimeFactor);
    }

    /** A webhook attempt (delivered or failed), or an event that gave up (exhausted). */
    public void webhookAttempt(String outcome) {
        Counter.builder("reelroute.webhook.attempts")
                .description("Webhook delivery attempts by outcome (delivered, failed; exhausted: an event given up)")
                .tag("outcome", nonNull(outcome))
                .register(registry)
                .increment();
    }

    /**
     * Tokens moved by the ledger (charge, refund, top-up), counted when the transaction that moved them commits,
     * so a charge rolled back with its job is never counted.
     */
    public void tokens(String kind, long amount) {
        Counter counter = Counter.builder("reelroute.tokens")
                .description("Tokens moved by the ledger, by kind (charge, refund, top_up)")
                .tag("kind", nonNull(kind))
                .register(registry);
        double value = Math.abs((double) amount);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    counter.increment(value);
                }
            });
        } else {
            counter.increment(value);
        }
    }

    @Override
    public void called(String provider, String method, String outcome, long nanos) {
        Timer.builder("reelroute.provider.call")
                .description("HTTP calls to a remote provider (each attempt), by outcome")
                .tag("provider", nonNull(provider)).tag("method", nonNull(method)).tag("outcome", nonNull(outcome))
                .publishPercentileHistogram(false)
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
                        Duration.ofSeconds(30))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String nonNull(String value) {
        return value == null || value.isBlank() ? "unknown" : value;
    }
}
