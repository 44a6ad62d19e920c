package dev.reelroute.support;

import dev.reelroute.job.WorkClaim;
import dev.reelroute.security.AccountStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The whole service on a random port with its embedded defaults (embedded Artemis, H2, filesystem storage, the
 * real ffmpeg), in a data dir of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ServiceTest {
    @LocalServerPort
    protected int port;

    @Autowired
    protected AccountStore accounts;
    @Autowired
    protected JdbcTemplate jdbc;
    @Value("${reelroute.data-dir}")
    protected Path dataDir;

    protected ApiClient api;

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
        return RouteClaim.over(jdbc.getDataSource()).claim(jobId, worker, lease);
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
