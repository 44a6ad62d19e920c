package dev.reelroute.support;

import dev.reelroute.job.JobStore;
import dev.reelroute.job.WorkClaim;
import dev.reelroute.security.AccountStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.TestExecutionListeners;
import org.springframework.test.context.TestExecutionListeners.MergeMode;

/**
 * The whole service on a random port with its embedded defaults (embedded Artemis, H2, filesystem storage, the
 * real ffmpeg), in a data dir of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestExecutionListeners(listeners = SuspendCamelWhileCached.class, mergeMode = MergeMode.MERGE_WITH_DEFAULTS)
public abstract class ServiceTest {
    @LocalServerPort
    protected int port;

    @Autowired
    protected AccountStore accounts;
    @Autowired
    protected JdbcTemplate jdbc;
    @Autowired
    private JobStore jobStore;
    @Value("${reelroute.data-dir}")
    protected Path dataDir;

    protected ApiClient api;

    /** A job {@link #claimAs} claimed for a worker of the test's naming. */
    private record StandInClaim(String jobId, String worker) {}

    private final List<StandInClaim> standInClaims = new ArrayList<>();

    protected static void embeddedDefaults(DynamicPropertyRegistry registry) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("reelroute-test-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        registry.add("reelroute.data-dir", dataDir::toString);
    }

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    /** Job rows of every account: hostile requests must not add one. */
    protected int jobRows() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM jobs", Integer.class);
    }

    /** A new account with one key; returns the raw key. */
    protected String newAccountKey(String name) {
        return newAccount(name).apiKey();
    }

    /**
     * A job claimed by a worker of this name, as the service's route job-claim claims it (claim-job-row), but for
     * another instance: this service holds nothing ({@link RouteClaim}).
     */
    protected WorkClaim claimAs(String jobId, String worker, Duration lease) {
        WorkClaim claim = RouteClaim.over(jdbc.getDataSource()).claim(jobId, worker, lease);
        if (claim.claimed()) {
            standInClaims.add(new StandInClaim(jobId, worker));
        }
        return claim;
    }

    /**
     * The context stays cached and working while later classes run: a job a stand-in worker still holds would be
     * taken over by its recovery sweep once the lease ran out, and worked (rendered) in the middle of another class.
     * Jobs the service itself has taken over meanwhile are left to it.
     */
    @AfterEach
    void settleStandInClaims() {
        for (StandInClaim claim : standInClaims) {
            jdbc.queryForList("SELECT account_id FROM jobs WHERE id = ? AND claimed_by = ? AND status = 'PROCESSING'",
                    String.class, claim.jobId(), claim.worker())
                    .forEach(accountId -> jobStore.cancel(claim.jobId(), accountId));
        }
        standInClaims.clear();
    }

    /**
     * A run's clips queued by {@code worker} (the route run-clips-queued), which lets the run go with its lease until
     * {@code deadline}, as another instance would.
     */
    protected void clipsQueuedAs(String runId, String worker, Instant deadline) {
        ProjectRunStages.over(jdbc.getDataSource()).clipsQueued(runId, worker, deadline);
    }

    protected AccountStore.CreatedKey newAccount(String name) {
        var account = accounts.createAccount(name, null, 1);
        return accounts.createKey(account.account().id(), "test", null);
    }
}
