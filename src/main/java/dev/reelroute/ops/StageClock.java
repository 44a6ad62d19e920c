package dev.reelroute.ops;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * When each running job entered its current stage, so the time it spent there is recorded when it moves on or
 * ends, as {@link RouteMetrics} sees the reporting kamelets run (in the reporting route's thread, so in the order
 * they happened). In memory, per instance: a job taken over by another instance starts a fresh clock there. Entries
 * of jobs that never report an end (a crash) expire.
 */
@Component
public class StageClock {
    private record Entered(String kind, String stage, long nanos) {
    }

    private final OpsMetrics metrics;
    private final Cache<String, Entered> current = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterAccess(Duration.ofHours(2))
            .build();

    public StageClock(OpsMetrics metrics) {
        this.metrics = metrics;
    }

    /** The job reports {@code stage}: a new stage ends the one before; the same stage again changes nothing. */
    void enter(String jobId, String kind, String stage) {
        if (jobId == null || stage == null) {
            return;
        }
        long now = System.nanoTime();
        current.asMap().compute(jobId, (id, before) -> {
            if (before != null && before.stage().equals(stage)) {
                return before;
            }
            if (before != null) {
                metrics.stageEnded(before.kind(), before.stage(), now - before.nanos());
            }
            return new Entered(kind, stage, now);
        });
    }

    /** The job ended (completed, failed or cancelled): its last stage ends with it. */
    void end(String jobId) {
        if (jobId == null) {
            return;
        }
        Entered last = current.asMap().remove(jobId);
        if (last != null) {
            metrics.stageEnded(last.kind(), last.stage(), System.nanoTime() - last.nanos());
        }
    }
}
