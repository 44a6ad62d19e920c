package dev.reelroute.support;

import dev.reelroute.job.JobSteps;
import dev.reelroute.job.WorkClaim;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The claim of a job as the service makes it: the route job-claim ({@code routes/job-claim.camel.yaml}, its
 * camel-sql step claim-job-row) in a plain Camel context of its own over a test's database, with a stand-in for the
 * {@code runningWork} bean it calls, so that any worker name and lease can claim. The stand-in holds nothing: it
 * works on no job and holds none that the UPDATE took; the claim's take-over count is the job's {@code retries}
 * after it, as RunningWork.holdClaimedJob reads it.
 */
public final class RouteClaim implements AutoCloseable {
    private static final Map<DataSource, RouteClaim> SHARED = new ConcurrentHashMap<>();

    private final CamelContext camel = new DefaultCamelContext();
    private final ProducerTemplate producer;
    private final JdbcTemplate jdbc;

    /** Starts the route over this database, its {@code now} read from this clock (as the service's jobSteps). */
    public RouteClaim(DataSource dataSource, Clock clock) {
        jdbc = new JdbcTemplate(dataSource);
        try {
            camel.getRegistry().bind("dataSource", dataSource);
            camel.getRegistry().bind("jobSteps", new JobSteps(clock));
            camel.getRegistry().bind("runningWork", new StandInWorker());
            // the route's error handling is the service's (error-handling.camel.yaml); a claim here throws instead
            camel.addRoutes(new RouteConfigurationBuilder() {
                @Override
                public void configuration() {
                    routeConfiguration("stage-errors");
                }
            });
            camel.start();
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    PluginHelper.getResourceLoader(camel).resolveResource("classpath:routes/job-claim.camel.yaml"));
        } catch (Exception e) {
            camel.stop();
            throw new IllegalStateException("The route job-claim did not start", e);
        }
        producer = camel.createProducerTemplate();
    }

    /**
     * One route claim per database for the tests of a Spring context (the service's clock is the system's); it runs
     * until the test JVM exits.
     */
    public static RouteClaim over(DataSource dataSource) {
        return SHARED.computeIfAbsent(dataSource, shared -> new RouteClaim(shared, Clock.systemUTC()));
    }

    /** job-claim for this worker with this lease: whether it claimed the job, and its take-overs if it did. */
    public WorkClaim claim(String jobId, String instanceId, Duration lease) {
        // direct: runs the route in this thread, where the stand-in reads the worker and its lease
        StandInWorker.CALL.set(new Call(instanceId, lease));
        Exchange done;
        try {
            done = producer.send("direct:job-claim", exchange -> exchange.setProperty("jobId", jobId));
        } finally {
            StandInWorker.CALL.remove();
        }
        if (done.getException() != null) {
            throw new IllegalStateException("The claim of job " + jobId + " failed", done.getException());
        }
        if (!done.getProperty("claimed", false, Boolean.class)) {
            return WorkClaim.NOT_CLAIMED;
        }
        // the job's take-overs after the claim, read from its row as RunningWork.holdClaimedJob reads them
        Integer retries = jdbc.queryForObject("SELECT retries FROM jobs WHERE id = ?", Integer.class, jobId);
        return new WorkClaim(true, retries == null ? 0 : retries);
    }

    @Override
    public void close() {
        camel.stop();
    }

    private record Call(String instanceId, Duration lease) {}

    /**
     * What job-claim calls on {@code runningWork}: the worker's name and lease are the claim's (a test claims as
     * several workers, at once in a race), and nothing is held.
     */
    public static final class StandInWorker {
        private static final ThreadLocal<Call> CALL = new ThreadLocal<>();

        public boolean isWorkingOn(String jobId) {
            return false;
        }

        public Timestamp leaseUntil(Timestamp claimedAt) {
            return Timestamp.from(claimedAt.toInstant().plus(CALL.get().lease()));
        }

        public String instanceId() {
            return CALL.get().instanceId();
        }

        public boolean holdClaimedJob(String jobId, Exchange exchange) {
            return true;
        }
    }
}
