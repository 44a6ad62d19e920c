package dev.reelroute.live;

import dev.reelroute.config.DaemonThreads;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Tells the readers waiting on a job (event streams, {@code Prefer: wait} reads) that it may have changed, on any
 * instance. Two sources, so that it works with N instances whatever the broker:
 * <ul>
 *   <li>the topic {@code reelroute.job-events}: route {@code job-watch} hears every instance's events (with an
 *       external Artemis, every instance subscribes to the same topic) and calls {@link #signal(String)}, so a
 *       watched job is re-read at once;</li>
 *   <li>a poll of the watched jobs every {@code reelroute.live.poll-interval} (1 s): catches what no event
 *       announced (a change made by an instance on another broker, an event lost while a subscriber reconnected).</li>
 * </ul>
 * Each check reads the job row once, however many readers wait on it (the poll reads every watched job in one
 * query), and hands it to every listener; listeners compare it with what they last saw. One thread does the
 * checks, so listeners must not block.
 */
@Component("jobWatch")
public class JobWatch implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(JobWatch.class);

    /** Called with the job as read now, or empty when it no longer exists. */
    public interface Listener {
        void seen(Optional<Job> job);
    }

    /** Stops a watch; idempotent. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final JobStore jobs;
    private final ConcurrentHashMap<String, Set<Listener>> listeners = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(new DaemonThreads("job-watch"));

    public JobWatch(JobStore jobs, LiveProperties properties) {
        this.jobs = jobs;
        long pollMillis = Math.max(50, properties.pollInterval().toMillis());
        checks.scheduleWithFixedDelay(this::pollAll, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    /** The part of a job whose change wakes a reader: status, progress and stage. */
    public static String fingerprint(Job job) {
        return job == null ? "gone" : job.status() + "/" + job.progress() + "/" + job.stage();
    }

    public Registration watch(String jobId, Listener listener) {
        listeners.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(listener);
        return () -> listeners.computeIfPresent(jobId, (id, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** An event about the job was published (by any instance): re-read it now if anyone waits on it. */
    public void signal(String jobId) {
        if (jobId != null && listeners.containsKey(jobId)) {
            try {
                checks.execute(() -> check(jobId));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // shutting down
            }
        }
    }

    /** Readers waiting now, over all jobs (for tests and metrics). */
    public int watchers() {
        return listeners.values().stream().mapToInt(Set::size).sum();
    }

    /** Every watched job, read in one query. */
    private void pollAll() {
        List<String> watched = List.copyOf(listeners.keySet());
        if (watched.isEmpty()) {
            return;
        }
        Map<String, Job> found;
        try {
            found = jobs.findAll(watched);
        } catch (RuntimeException unavailable) {
            log.debug("Could not read the watched jobs: {}", unavailable.toString());
            return;
        }
        watched.forEach(jobId -> tell(jobId, Optional.ofNullable(found.get(jobId))));
    }

    private void check(String jobId) {
        if (!listeners.containsKey(jobId)) {
            return;
        }
        Optional<Job> job;
        try {
            job = jobs.find(jobId);
        } catch (RuntimeException unavailable) {
            log.debug("Could not read job {} for its watchers: {}", jobId, unavailable.toString());
            return;
        }
        tell(jobId, job);
    }

    private void tell(String jobId, Optional<Job> job) {
        Set<Listener> waiting = listeners.get(jobId);
        if (waiting == null) {
            return;
        }
        for (Listener listener : waiting) {
            try {
                listener.seen(job);
            } catch (RuntimeException failed) {
                log.debug("A watcher of job {} failed: {}", jobId, failed.toString());
            }
        }
    }

    @Override
    public void destroy() {
        checks.shutdownNow();
    }
}
