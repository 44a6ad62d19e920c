package dev.reelroute.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelroute.config.Ids;
import dev.reelroute.security.AccountStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import dev.reelroute.support.CompletedJobs;
import dev.reelroute.support.Databases.TestDatabase;
import dev.reelroute.support.RouteClaim;
import dev.reelroute.support.TickingClock;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job store's behaviour, run against each database reelroute supports. A job's claim is the route job-claim's
 * camel-sql step claim-job-row ({@code routes/job-claim.camel.yaml}), run as the service runs it in a Camel context
 * of its own over the test's database ({@link RouteClaim}).
 */
abstract class JobStoreContract {
    /** A clock that moves 1 ms per reading, so rows get distinct, ordered creation times. */
    private final TickingClock ticking = new TickingClock(Instant.parse("2026-05-07T12:00:00Z"));

    private static final Duration LEASE = Duration.ofMinutes(1);

    protected JobStore store;
    protected AccountStore accounts;
    private String accountId;
    private String keyId;

    private DataSource dataSource;

    /** A fresh, migrated database for one test. */
    protected abstract TestDatabase openDatabase() throws Exception;

    private TestDatabase database;

    protected DataSource dataSource() {
        return dataSource;
    }

    private RouteClaim routeClaim;

    @AfterEach
    void tearDownDatabase() throws Exception {
        if (routeClaim != null) {
            routeClaim.close();
        }
        database.close();
    }

    @BeforeEach
    void setUpStores() throws Exception {
        database = openDatabase();
        dataSource = database.dataSource();
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource());
        store = new JobStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource())), ticking);
        accounts = new AccountStore(jdbc, ticking);
        accountId = accounts.createAccount("acme", null, 1).account().id();
        keyId = accounts.createKey(accountId, "test", null).keyId();
    }

    private NewJob newJob(String account, String key) {
        return new NewJob(Ids.newId(), account, key, Job.KIND_IMAGE_AUDIO, null, "in/image.png", "in/audio.wav",
                6000, Ids.randomToken(24));
    }

    @Test
    void insertsPendingJobWithEveryField() {
        NewJob job = newJob(accountId, keyId);
        Job stored = store.insertPending(job, 1);
        assertThat(stored.id()).isEqualTo(job.id());
        assertThat(stored.status()).isEqualTo(JobStatus.PENDING);
        assertThat(stored.progress()).isZero();
        assertThat(stored.durationMs()).isEqualTo(6000L);
        assertThat(stored.shareToken()).isEqualTo(job.shareToken());
        assertThat(stored.createdAt()).isNotNull().isEqualTo(stored.updatedAt());
        assertThat(store.findForAccount(job.id(), accountId)).isPresent();
        assertThat(store.findByShareToken(job.shareToken())).map(Job::id).contains(job.id());
    }

    @Test
    void anotherAccountCannotSeeTheJob() {
        Job job = store.insertPending(newJob(accountId, keyId), 1);
        String other = accounts.createAccount("other", null, 1).account().id();
        assertThat(store.findForAccount(job.id(), other)).isEmpty();
        assertThat(store.cancelIfPending(job.id(), other)).isFalse();
        assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void onlyOneActiveJobPerKeyUntilItEnds() {
        Job first = store.insertPending(newJob(accountId, keyId), 1);
        assertThatThrownBy(() -> store.insertPending(newJob(accountId, keyId), 1))
                .isInstanceOf(ActiveJobLimitException.class);
        String otherKey = accounts.createKey(accountId, "second member", null).keyId();
        store.insertPending(newJob(accountId, otherKey), 1); // the limit is per key

        assertThat(claim(first.id())).isTrue();
        assertThatThrownBy(() -> store.insertPending(newJob(accountId, keyId), 1))
                .isInstanceOf(ActiveJobLimitException.class);
        assertThat(store.cancel(first.id(), accountId)).contains(JobStatus.PROCESSING);
        assertThat(store.insertPending(newJob(accountId, keyId), 1).status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void aJobWithoutAKeyCannotSlipPastThePerKeyLimit() {
        // a JWT caller has no key: counting jobs "per null key" would find none and never refuse
        assertThatThrownBy(() -> store.insertPending(newJob(accountId, null), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.insertPending(newJob(accountId, keyId), 1).status()).isEqualTo(JobStatus.PENDING);
    }

    @Test
    void concurrentSubmissionsWithOneKeyLetExactlyOneIn() throws Exception {
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Callable<Boolean> attempt = () -> {
                start.await();
                try {
                    store.insertPending(newJob(accountId, keyId), 1);
                    return true;
                } catch (ActiveJobLimitException refused) {
                    return false;
                }
            };
            results.add(pool.submit(attempt));
        }
        start.countDown();
        int admitted = 0;
        for (Future<Boolean> result : results) {
            admitted += result.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(admitted).isEqualTo(1);
    }

    @Test
    void aClaimTakesAPendingJobOnceAndALapsedLeaseLetsAnotherWorkerTakeItOver() {
        Job job = store.insertPending(newJob(accountId, keyId), 1);
        assertThat(claim(job.id(), "worker-a", LEASE)).isEqualTo(new WorkClaim(true, 0));
        assertThat(claim(job.id(), "worker-b", LEASE).claimed()).as("the lease is live").isFalse();
        Job claimed = store.find(job.id()).orElseThrow();
        assertThat(claimed.status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(claimed.stage()).isEqualTo("preparing");
        assertThat(claimed.statusMessage()).isEqualTo("Preparing inputs");
        assertThat(claimed.retries()).isZero();
        assertThat(claimed.startedAt()).isNotNull();
        assertThat(leaseOf(job.id())).as("the lease runs from the claim")
                .isEqualTo(claimed.updatedAt().plus(LEASE));
        assertThat(store.stillHeld(List.of(job.id()), "worker-a")).containsExactly(job.id());

        ticking.advance(LEASE.plusSeconds(2));
        WorkClaim takeover = claim(job.id(), "worker-b", LEASE);
        assertThat(takeover).isEqualTo(new WorkClaim(true, 1));
        Job resumed = store.find(job.id()).orElseThrow();
        assertThat(resumed.retries()).isEqualTo(1);
        assertThat(resumed.statusMessage()).isEqualTo("Resuming: the worker running it stopped");
        assertThat(resumed.startedAt()).as("its first start is kept").isEqualTo(claimed.startedAt());
        assertThat(store.stillHeld(List.of(job.id()), "worker-a")).as("worker-a lost it").isEmpty();
        assertThat(store.stillHeld(List.of(job.id()), "worker-b")).containsExactly(job.id());
        store.renewLeases(List.of(job.id()), "worker-a", LEASE); // the old worker cannot take it back
        ticking.advance(LEASE.plusSeconds(2));
        assertThat(claim(job.id(), "worker-c", LEASE).takeovers()).isEqualTo(2);
    }

    @Test
    void aProcessingJobNoWorkerHoldsIsTakenWithoutATakeOver() {
        // a project run handed back for its compile: PROCESSING, no worker, no lease
        Job job = store.insertPending(newJob(accountId, keyId), 1);
        assertThat(claim(job.id(), "worker-a", LEASE).claimed()).isTrue();
        Job first = store.find(job.id()).orElseThrow();
        new NamedParameterJdbcTemplate(dataSource()).update(
                "UPDATE jobs SET claimed_by = NULL, lease_expires_at = NULL, stage = 'compiling' WHERE id = :id",
                java.util.Map.of("id", job.id()));

        // the CASEs read the old claimed_by and status before the SET changes them (MySQL assigns left to right)
        assertThat(claim(job.id(), "worker-b", LEASE)).isEqualTo(new WorkClaim(true, 0));
        Job taken = store.find(job.id()).orElseThrow();
        assertThat(taken.retries()).isZero();
        assertThat(taken.statusMessage()).isEqualTo("Preparing inputs");
        assertThat(taken.startedAt()).isEqualTo(first.startedAt());
        assertThat(store.stillHeld(List.of(job.id()), "worker-b")).containsExactly(job.id());
        assertThat(claim(job.id(), "worker-c", LEASE).claimed()).as("now its lease is live").isFalse();
    }

    @Test
    void ofRacingClaimsExactlyOneWins() throws Exception {
        Job pending = store.insertPending(newJob(accountId, keyId), 2);
        Job lapsed = store.insertPending(newJob(accountId, keyId), 2);
        assertThat(claim(lapsed.id(), "a-stopped-worker", LEASE).claimed()).isTrue();
        ticking.advance(LEASE.plusSeconds(2));
        routeClaim(); // started before the race

        int workers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<WorkClaim>>> results = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            String worker = "worker-" + i;
            results.add(pool.submit(() -> {
                start.await();
                return List.of(claim(pending.id(), worker, LEASE), claim(lapsed.id(), worker, LEASE));
            }));
        }
        start.countDown();
        List<WorkClaim> ofPending = new ArrayList<>();
        List<WorkClaim> ofLapsed = new ArrayList<>();
        for (Future<List<WorkClaim>> result : results) {
            ofPending.add(result.get().get(0));
            ofLapsed.add(result.get().get(1));
        }
        pool.shutdown();
        assertThat(ofPending).filteredOn(WorkClaim::claimed).containsExactly(new WorkClaim(true, 0));
        assertThat(ofLapsed).filteredOn(WorkClaim::claimed).as("one take-over, counted once")
                .containsExactly(new WorkClaim(true, 1));
        assertThat(store.find(lapsed.id()).orElseThrow().retries()).isEqualTo(1);
    }

    @Test
    void aCompletedJobIsStillItsWorkersToFinishButACancelledOneIsNot() {
        Job done = store.insertPending(newJob(accountId, keyId), 2);
        Job cancelled = store.insertPending(newJob(accountId, keyId), 2);
        claim(done.id(), "worker-a", LEASE);
        claim(cancelled.id(), "worker-a", LEASE);
        CompletedJobs.complete(dataSource(), done.id(), ticking.instant());
        assertThat(store.cancel(cancelled.id(), accountId)).isPresent();
        // the completing route still has its last steps (events, webhook) to run: the watchdog must not stop it
        assertThat(store.stillHeld(List.of(done.id(), cancelled.id()), "worker-a")).containsExactly(done.id());
    }

    // which jobs the recovery sweep hands back, and that each lapsed lease goes back once: work-recovery-sweep's
    // find-abandoned-jobs and mark-abandoned-jobs-sent steps (routes/WorkRecoveryRouteTest)
    @Test
    void aRenewedLeaseKeepsTheJobUntilItLapses() {
        Job job = store.insertPending(newJob(accountId, keyId), 1);
        claim(job.id(), "worker-a", LEASE);
        ticking.advance(LEASE.minusSeconds(5));
        store.renewLeases(List.of(job.id()), "worker-a", LEASE);
        ticking.advance(Duration.ofSeconds(10));
        assertThat(claim(job.id(), "worker-b", LEASE).claimed()).isFalse();

        ticking.advance(LEASE);
        assertThat(claim(job.id(), "worker-b", LEASE).takenOver()).isTrue();
    }

    @Test
    void cancelWorksOnlyWhilePending() {
        Job pending = store.insertPending(newJob(accountId, keyId), 5);
        Job running = store.insertPending(newJob(accountId, keyId), 5);
        claim(running.id());

        assertThat(store.cancelIfPending(pending.id(), accountId)).isTrue();
        assertThat(store.find(pending.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(store.cancelIfPending(pending.id(), accountId)).isFalse();
        assertThat(store.cancelIfPending(running.id(), accountId)).isFalse();
        assertThat(claim(pending.id())).isFalse();
    }

    @Test
    void listsNewestFirstWithCursorPagesAndStatusFilter() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Job job = store.insertPending(newJob(accountId, keyId), 10);
            ids.add(job.id());
        }
        store.cancelIfPending(ids.get(1), accountId);
        String other = accounts.createAccount("other", null, 1).account().id();
        store.insertPending(newJob(other, accounts.createKey(other, null, null).keyId()), 1);

        JobPage first = store.list(accountId, null, null, 2).orElseThrow();
        assertThat(first.jobs()).extracting(Job::id).containsExactly(ids.get(4), ids.get(3));
        assertThat(first.hasNextPage()).isTrue();
        JobPage second = store.list(accountId, null, first.nextCursor(), 2).orElseThrow();
        assertThat(second.jobs()).extracting(Job::id).containsExactly(ids.get(2), ids.get(1));
        JobPage third = store.list(accountId, null, second.nextCursor(), 2).orElseThrow();
        assertThat(third.jobs()).extracting(Job::id).containsExactly(ids.get(0));
        assertThat(third.hasNextPage()).isFalse();
        assertThat(third.nextCursor()).isNull();

        assertThat(store.list(accountId, JobStatus.CANCELLED, null, 20).orElseThrow().jobs())
                .extracting(Job::id).containsExactly(ids.get(1));
        assertThat(store.list(accountId, null, "unknowncursor", 20)).isEmpty();
        assertThat(store.list(other, null, ids.get(2), 20)).as("a cursor of another account").isEmpty();
    }

    @Test
    void logLinesAreKeptInOrderAndBounded() {
        Job job = store.insertPending(newJob(accountId, keyId), 1);
        store.appendLog(job.id(), "INFO", "first");
        store.appendLog(job.id(), "ERROR", "x".repeat(5000));
        List<JobLogLine> logs = store.logs(job.id());
        assertThat(logs).extracting(JobLogLine::message).first().isEqualTo("first");
        assertThat(logs.get(1).level()).isEqualTo("ERROR");
        assertThat(logs.get(1).message()).hasSizeLessThanOrEqualTo(1000);
        for (int i = 0; i < 600; i++) {
            store.appendLog(job.id(), "INFO", "line " + i);
        }
        assertThat(store.logs(job.id())).hasSize(500);
        // a line for a job that is gone is dropped, not an error
        store.appendLog("no-such-job", "INFO", "nobody reads this");
        assertThat(store.logs("no-such-job")).isEmpty();
    }

    @Test
    void apiKeysAreStoredHashedAndCanBeDeactivated() {
        var created = accounts.createKey(accountId, "member", null);
        assertThat(created.apiKey()).startsWith(AccountStore.API_KEY_PREFIX);
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource());
        List<String> stored = jdbc.getJdbcTemplate().queryForList("SELECT key_hash FROM api_keys", String.class);
        assertThat(stored).doesNotContain(created.apiKey()).allMatch(hash -> hash.matches("[0-9a-f]{64}"));

        assertThat(accounts.findKey(created.apiKey())).map(AccountStore.KeyRecord::active).contains(true);
        assertThat(accounts.deactivateKey(created.keyId())).isTrue();
        assertThat(accounts.findKey(created.apiKey())).map(AccountStore.KeyRecord::active).contains(false);
        assertThat(accounts.findKey(created.apiKey() + "x")).isEmpty();
    }

    private NewJob promptJob(String account, String kind, List<String> references) {
        String id = Ids.newId();
        PromptSpec spec = new PromptSpec("a lighthouse at dusk", null, "veo-3.1-fast-generate-preview", "1080p", "9:16",
                4, true, true, "jobs/" + id + "/initial-image.png", "jobs/" + id + "/end-frame.jpg", references);
        // a JWT caller has no API key
        return new NewJob(id, account, null, kind, null, null, null, 0, Ids.randomToken(24), spec, "local", 50);
    }

    @Test
    void promptJobsRoundTripTheirSpecAndAreLimitedPerAccountAndKind() {
        NewJob first = promptJob(accountId, Job.KIND_VIDEO_JOB, List.of("jobs/x/reference-1.png", "jobs/x/reference-2.webp"));
        Job stored = store.insertPendingForAccount(first, 2);
        assertThat(stored.apiKeyId()).isNull();
        assertThat(stored.prompt()).isEqualTo(first.prompt());
        assertThat(stored.provider()).isEqualTo("local");
        assertThat(stored.tokensConsumed()).isEqualTo(50);
        assertThat(stored.isPromptJob()).isTrue();
        assertThat(stored.statusMessage()).isEqualTo("Job queued for processing");

        store.insertPendingForAccount(promptJob(accountId, Job.KIND_VIDEO_JOB, List.of()), 2);
        assertThatThrownBy(() -> store.insertPendingForAccount(promptJob(accountId, Job.KIND_VIDEO_JOB, List.of()), 2))
                .isInstanceOf(ActiveJobLimitException.class);
        // another kind, or another account, has its own count
        store.insertPendingForAccount(promptJob(accountId, Job.KIND_GENERATE, List.of()), 2);
        String other = accounts.createAccount("other", null, 1).account().id();
        store.insertPendingForAccount(promptJob(other, Job.KIND_VIDEO_JOB, List.of()), 2);
        // a finished job frees its place
        assertThat(store.cancel(stored.id(), accountId)).contains(JobStatus.PENDING);
        store.insertPendingForAccount(promptJob(accountId, Job.KIND_VIDEO_JOB, List.of()), 2);
    }

    @Test
    void offsetPagesCountTheWholeFilterAndCancelTellsWhatItStopped() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(store.insertPendingForAccount(promptJob(accountId, Job.KIND_VIDEO_JOB, List.of()), 10).id());
        }
        assertThat(claim(ids.get(0))).isTrue();
        assertThat(store.cancel(ids.get(0), accountId)).contains(JobStatus.PROCESSING);
        assertThat(store.cancel(ids.get(0), accountId)).isEmpty();
        assertThat(store.cancel(ids.get(1), "someone-else")).isEmpty();
        assertThat(store.stoppedByUser(ids.get(0))).isTrue();
        assertThat(store.stoppedByUser(ids.get(1))).isFalse();

        JobStore.OffsetPage page = store.listByOffset(accountId, Job.KIND_VIDEO_JOB, null, 2, 1);
        assertThat(page.total()).isEqualTo(5);
        assertThat(page.jobs()).extracting(Job::id).containsExactly(ids.get(3), ids.get(2));
        assertThat(store.listByOffset(accountId, Job.KIND_VIDEO_JOB, JobStatus.CANCELLED, 50, 0).jobs())
                .extracting(Job::id).containsExactly(ids.get(0));
        assertThat(store.listByOffset(accountId, Job.KIND_GENERATE, null, 50, 0).total()).isZero();

        store.appendLog(ids.get(1), "INFO", "about to go");
        assertThat(store.delete(ids.get(1), "someone-else")).isFalse();
        assertThat(store.delete(ids.get(1), accountId)).isTrue();
        assertThat(store.find(ids.get(1))).isEmpty();
        assertThat(store.stoppedByUser(ids.get(1))).isTrue();
    }

    // the completion's own statement (duration, cost, message; never a job that ended) is store-job-outputs'
    // complete-job step, JobStageSqlContract's; here what the store reads of completed jobs
    @Test
    void turnaroundsOfCompletedJobsFeedTheEstimate() {
        Job job = store.insertPendingForAccount(promptJob(accountId, Job.KIND_GENERATE, List.of()), 10);
        assertThat(store.countPending(Job.KIND_GENERATE)).isEqualTo(1);
        claim(job.id());
        // the render took 5 s (whole seconds: MariaDB 10.x through MySQL Connector/J keeps no fractions)
        ticking.advance(Duration.ofSeconds(5));
        CompletedJobs.complete(dataSource(), job.id(), ticking.instant());
        assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(store.recentTurnaroundSeconds(Job.KIND_GENERATE, 20)).singleElement()
                .satisfies(seconds -> assertThat(seconds).isBetween(5.0, 5.1));
        assertThat(store.countPending(Job.KIND_GENERATE)).isZero();
    }

    @Test
    void styleJobsRoundTripTheirVideosConfigAndExtractedStyle() {
        String id = Ids.newId();
        String config = "{\"strength\":0.5,\"match_fps\":true}";
        store.insertPendingForAccount(new NewJob(id, accountId, keyId, Job.KIND_STYLE_TRANSFER, null, null, null, 0,
                Ids.randomToken(24), null, "local", 0, new StyleSpec("csource", "ctemplate", config, null)), 3);
        Job stored = store.find(id).orElseThrow();
        assertThat(stored.prompt()).isNull();
        assertThat(stored.style()).isEqualTo(new StyleSpec("csource", "ctemplate", config, null));

        String style = "{\"version\":\"1.0\",\"palette\":\"" + "#a0b0c0,".repeat(1500) + "\"}";
        store.recordStyleJson(id, style);
        assertThat(store.find(id).orElseThrow().style().styleJson()).isEqualTo(style);
        assertThatThrownBy(() -> store.recordStyleJson(id, "x".repeat(16_001)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private RouteClaim routeClaim() {
        synchronized (this) {
            if (routeClaim == null) {
                routeClaim = new RouteClaim(dataSource(), ticking);
            }
            return routeClaim;
        }
    }

    /** The route's claim (job-claim) by this worker with this lease. */
    private WorkClaim claim(String jobId, String worker, Duration lease) {
        return routeClaim().claim(jobId, worker, lease);
    }

    private boolean claim(String jobId) {
        return claim(jobId, "worker-a", LEASE).claimed();
    }

    private Instant leaseOf(String jobId) {
        return new NamedParameterJdbcTemplate(dataSource()).queryForObject(
                "SELECT lease_expires_at FROM jobs WHERE id = :id", java.util.Map.of("id", jobId),
                java.sql.Timestamp.class).toInstant();
    }
}
