package dev.reelroute.support;

import dev.reelroute.job.JobStore;
import dev.reelroute.job.WorkClaim;
import dev.reelroute.project.MadeClip;
import java.math.BigDecimal;
import java.time.Clock;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A video project run's database stages as the service runs them: the routes of
 * {@code routes/project-run-stages.camel.yaml} (and fail-job of job-failure.camel.yaml, which a failed clip fails its
 * run with) in a plain Camel context over a test's database ({@link PlainCamelRoutes}), with the job store for the
 * run's log and stand-ins for what is not the database's: the worker taking a clip ({@link StandInWorker}), the
 * outputs' keys, and the job failures, which refund nothing (a run is charged no tokens).
 */
public final class ProjectRunStages implements AutoCloseable {
    private static final Map<DataSource, ProjectRunStages> SHARED = new ConcurrentHashMap<>();

    private final PlainCamelRoutes routes;

    public ProjectRunStages(DataSource dataSource, Clock clock, JobStore jobStore) {
        routes = new PlainCamelRoutes(dataSource, clock, Map.of("jobStore", jobStore, "runningWork",
                new StandInWorker(), "videoOutputs", new Outputs(), "jobFailures", new NoRefunds()),
                "project-run-stages", "job-failure");
    }

    /**
     * One per database for the tests of a Spring context (the service's clock is the system's); it runs until the
     * test JVM exits.
     */
    public static ProjectRunStages over(DataSource dataSource) {
        return SHARED.computeIfAbsent(dataSource, shared -> new ProjectRunStages(shared, Clock.systemUTC(),
                new JobStore(new NamedParameterJdbcTemplate(shared),
                        new TransactionTemplate(new DataSourceTransactionManager(shared)), Clock.systemUTC())));
    }

    /** run-clips-queued as this worker: the run it holds is let go, its lease until {@code deadline}. */
    public void clipsQueued(String runId, String instanceId, Instant deadline) {
        StandInWorker.as(instanceId, Duration.ZERO, () -> send("direct:run-clips-queued", runId, 0,
                exchange -> exchange.setVariable("runDeadline", Timestamp.from(deadline))));
    }

    /** take-clip as this worker: whether it took the clip, and its take-overs if it did. */
    public WorkClaim takeClip(String runId, int position, String instanceId) {
        Exchange done = StandInWorker.as(instanceId, Duration.ZERO, () -> send("direct:take-clip", runId, position,
                exchange -> { }));
        if (!done.getProperty("clipTaken", false, Boolean.class)) {
            return WorkClaim.NOT_CLAIMED;
        }
        return new WorkClaim(true, done.getMessage().getHeader("clipTakeovers", 0, Integer.class));
    }

    /** start-clip: an attempt at the clip starts. */
    public void startClip(String runId, int position) {
        send("direct:start-clip", runId, position, exchange -> { });
    }

    /** complete-clip: the clip's segment (one of {@code clipCount}) is stored with these costs. */
    public void completeClip(String runId, int position, int clipCount, String segmentKey, BigDecimal clipCost,
                             BigDecimal transitionCost) {
        MadeClip made = new MadeClip(segmentKey, clipCost, transitionCost, clipCount,
                "Clip " + (position + 1) + " of " + clipCount + " made");
        send("direct:complete-clip", runId, position, exchange -> exchange.setVariable("madeClip", made));
    }

    /** last-clip-in: whether this caller hands the run to its compile. */
    public boolean lastClipIn(String runId) {
        return send("direct:last-clip-in", runId, 0, exchange -> { }).getProperty("lastClipIn", Boolean.class);
    }

    /** run-compiling: the run's compile is next. */
    public void compiling(String runId) {
        send("direct:run-compiling", runId, 0, exchange -> { });
    }

    /** record-run-progress: the run's progress and stage, forward only. */
    public void recordProgress(String runId, int progress, String stage) {
        send("direct:record-run-progress", runId, 0, exchange -> {
            exchange.setVariable("runProgress", progress);
            exchange.setVariable("runStage", stage);
            exchange.setVariable("runMessage", stage);
        });
    }

    /** fail-clip: the clip failed with this message, and its run with it. */
    public void failClip(String runId, int position, String message) {
        send("direct:fail-clip", runId, position, exchange -> exchange.setVariable("clipError", message));
    }

    /** fail-job: the run's job failed as the job failure handling fails every job; whether this failed it. */
    public boolean failJob(String runId, String message) {
        return send("direct:fail-job", runId, 0, exchange -> exchange.setProperty("failureMessage", message))
                .getProperty("jobFailed", Boolean.class);
    }

    /** fail-run: whether this failed the run (and its project). */
    public boolean failRun(String runId, String message) {
        return send("direct:fail-run", runId, 0, exchange -> exchange.setProperty("failureMessage", message))
                .getProperty("jobFailed", Boolean.class);
    }

    /** complete-project-run: whether the run was completed with its project. */
    public boolean completeRun(String runId) {
        return send("direct:complete-project-run", runId, 0, exchange -> { })
                .getProperty("runCompleted", Boolean.class);
    }

    /** fail-project-of-run: the run's job failed elsewhere; its clips in flight and its project fail with it. */
    public void projectOfRunFailed(String runId) {
        send("direct:fail-project-of-run", runId, 0, exchange -> { });
    }

    /** The final video's key the run completes with (as VideoOutputs names a job's). */
    public static String videoKey(String runId) {
        return "jobs/" + runId + "/output.mp4";
    }

    private Exchange send(String endpoint, String runId, int position, Consumer<Exchange> setUp) {
        return routes.send(endpoint, exchange -> {
            // the clip stages name the run runId, the job stages jobId: the routes that call them set both
            exchange.setProperty("runId", runId);
            exchange.setProperty("jobId", runId);
            exchange.setProperty("clipPosition", position);
            setUp.accept(exchange);
        });
    }

    @Override
    public void close() {
        routes.close();
    }

    /** The outputs' keys complete-project-run reads. */
    public static final class Outputs {
        public String videoKey(String jobId) {
            return ProjectRunStages.videoKey(jobId);
        }

        public String thumbnailKey(String jobId) {
            return "jobs/" + jobId + "/thumbnail.jpg";
        }
    }

    /** What fail-job and refund-job call on {@code jobFailures}: a run is charged no tokens, so none are due back. */
    public static final class NoRefunds {
        public boolean refundDue(Exchange exchange) {
            return false;
        }

        public String refundReason(String failureMessage) {
            return failureMessage;
        }

        public void refunded(String jobId, Map<String, Object> charge) {
        }
    }
}
