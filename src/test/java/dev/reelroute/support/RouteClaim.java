package dev.reelroute.support;

import dev.reelroute.job.WorkClaim;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The claim of a job as the service makes it: the route job-claim ({@code routes/job-claim.camel.yaml}, its
 * camel-sql step claim-job-row) in a plain Camel context of its own over a test's database ({@link PlainCamelRoutes}),
 * with a stand-in for the {@code runningWork} bean it calls ({@link StandInWorker}), so that any worker name and
 * lease can claim. The claim's take-over count is the job's {@code retries} after it, as
 * RunningWork.holdClaimedJob reads it.
 */
public final class RouteClaim implements AutoCloseable {
    private static final Map<DataSource, RouteClaim> SHARED = new ConcurrentHashMap<>();

    private final PlainCamelRoutes routes;
    private final JdbcTemplate jdbc;

    /** Starts the route over this database, its {@code now} read from this clock (as the service's jobSteps). */
    public RouteClaim(DataSource dataSource, Clock clock) {
        jdbc = new JdbcTemplate(dataSource);
        routes = new PlainCamelRoutes(dataSource, clock, Map.of("runningWork", new StandInWorker()), "job-claim");
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
        Exchange done = StandInWorker.as(instanceId, lease,
                () -> routes.send("direct:job-claim", exchange -> exchange.setProperty("jobId", jobId)));
        if (!done.getProperty("claimed", false, Boolean.class)) {
            return WorkClaim.NOT_CLAIMED;
        }
        // the job's take-overs after the claim, read from its row as RunningWork.holdClaimedJob reads them
        Integer retries = jdbc.queryForObject("SELECT retries FROM jobs WHERE id = ?", Integer.class, jobId);
        return new WorkClaim(true, retries == null ? 0 : retries);
    }

    @Override
    public void close() {
        routes.close();
    }
}
