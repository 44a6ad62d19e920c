package dev.reelroute.ops;

import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code reelroute_jobs{kind,status}}: jobs in the jobs table by kind and status. One GROUP BY query serves every
 * series, and runs at most once per refresh interval however often (and by however many scrapers) the gauges are
 * read. The counts are the whole table's, so every instance reports the same numbers: aggregate with max, not sum.
 */
@Component
public class JobCountGauges implements MeterBinder {
    private static final Logger log = LoggerFactory.getLogger(JobCountGauges.class);
    private static final List<String> KNOWN_KINDS = List.of(Job.KIND_IMAGE_AUDIO, Job.KIND_VIDEO_JOB,
            Job.KIND_GENERATE, Job.KIND_STYLE_TRANSFER);

    private record Key(String kind, String status) {
    }

    private final JdbcTemplate jdbc;
    private final long refreshNanos;
    private final Set<Key> registered = ConcurrentHashMap.newKeySet();
    private volatile Map<Key, Long> counts = Map.of();
    private volatile long refreshedAt;
    private volatile boolean loaded;
    private volatile MeterRegistry registry;

    public JobCountGauges(JdbcTemplate jdbc, @Value("${reelroute.metrics.job-counts-refresh:5s}") Duration refresh) {
        this.jdbc = jdbc;
        this.refreshNanos = Math.max(0, refresh.toNanos());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        for (String kind : KNOWN_KINDS) {
            for (JobStatus status : JobStatus.values()) {
                register(new Key(kind, status.name()));
            }
        }
    }

    private void register(Key key) {
        MeterRegistry target = registry;
        if (target != null && registered.add(key)) {
            Gauge.builder("reelroute.jobs", this, gauges -> gauges.count(key))
                    .description("Jobs in the jobs table by kind and status (the whole table: every instance reports it)")
                    .tag("kind", key.kind()).tag("status", key.status())
                    .register(target);
        }
    }

    private double count(Key key) {
        refreshIfStale();
        if (!loaded) {
            return Double.NaN;
        }
        return counts.getOrDefault(key, 0L);
    }

    private void refreshIfStale() {
        if (loaded && System.nanoTime() - refreshedAt < refreshNanos) {
            return;
        }
        synchronized (this) {
            if (loaded && System.nanoTime() - refreshedAt < refreshNanos) {
                return;
            }
            try {
                Map<Key, Long> fresh = new HashMap<>();
                jdbc.query("SELECT kind, status, COUNT(*) AS n FROM jobs GROUP BY kind, status",
                        rs -> {
                            fresh.put(new Key(rs.getString("kind"), rs.getString("status")), rs.getLong("n"));
                        });
                counts = Map.copyOf(fresh);
                loaded = true;
                // a kind this build does not list still gets its series
                fresh.keySet().forEach(this::register);
            } catch (RuntimeException e) {
                log.warn("Could not count jobs for the metrics: {}", e.getMessage());
            } finally {
                // a failing database is asked again after the interval, not on every read
                refreshedAt = System.nanoTime();
            }
        }
    }
}
