package dev.reelroute.ops;

import dev.reelroute.provider.ProviderCallObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The service's own meters, all named {@code reelroute.*} ({@code reelroute_*} on the Prometheus scrape). Ops
 * observes: {@link RouteMetrics}, one Camel event notifier, watches the routes themselves (the reporting kamelets,
 * the render step, the webhook attempts, the ledger's charge, refund and top-up steps) and records here; the provider
 * client reports its calls through its own {@link ProviderCallObserver}. (The bootstrap account's opening balance,
 * written at start-up before the routes run, is not counted.) The gauges (job counts, queue depths) are binders of their own.
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

    /** A job left a stage (for the next one, or because it ended): called by {@link StageClock}. */
    void stageEnded(String kind, String stage, long nanos) {
        Timer.builder("reelroute.job.stage")
                .description("Time a job spent in a stage (preparing, generating, rendering, uploading ...)")
                .tag("kind", nonNull(kind)).tag("stage", nonNull(stage))
                .serviceLevelObjectives(SLOS)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One finished FFmpeg render of a job's video: its wall time and how many seconds of video per second. */
    void ffmpegRendered(String kind, long nanos, double videoSeconds) {
        Timer.builder("reelroute.ffmpeg.render")
                .description("Wall time of a job's FFmpeg render")
                .tag("kind", nonNull(kind))
                .serviceLevelObjectives(SLOS)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        DistributionSummary.builder("reelroute.ffmpeg.realtime.factor")
                .description("Seconds of video rendered per second of wall time (above 1: faster than realtime)")
                .tag("kind", nonNull(kind))
                .serviceLevelObjectives(0.5, 1, 2, 5, 10, 20)
                .register(registry)
                .record(videoSeconds / (nanos / 1e9));
    }

    /** A webhook attempt (delivered or failed), or an event that gave up (exhausted). */
    void webhookAttempted(String outcome) {
        Counter.builder("reelroute.webhook.attempts")
                .description("Webhook delivery attempts by outcome (delivered, failed; exhausted: an event given up)")
                .tag("outcome", nonNull(outcome))
                .register(registry)
                .increment();
    }

    /** Tokens moved (of a committed transaction: the caller waits for the commit). */
    void tokensMoved(String kind, long amount) {
        Counter.builder("reelroute.tokens")
                .description("Tokens moved by the ledger, by kind (charge, refund, top_up)")
                .tag("kind", nonNull(kind))
                .register(registry)
                .increment(Math.abs((double) amount));
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
