package dev.reelroute.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.job.JobStatus;
import dev.reelroute.job.JobStore;
import dev.reelroute.security.AccountStore;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import dev.reelroute.job.WorkClaim;
import dev.reelroute.support.Databases.TestDatabase;
import dev.reelroute.support.ProjectRunStages;
import dev.reelroute.support.RouteClaim;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The project store's behaviour and a run's database stages, run against each database reelroute supports: a run is
 * claimed as a job is, by the route job-claim ({@link RouteClaim}), and its stages (a clip taken, started, made or
 * failed, the last clip in, the compile, the run completed or failed) are the routes of project-run-stages.camel.yaml
 * ({@link ProjectRunStages}).
 */
abstract class ProjectStoreContract {
    /** A fresh, migrated database for one test. */
    protected abstract TestDatabase openDatabase() throws Exception;

    TestDatabase database;

    ProjectStore store;
    private JobStore jobs;
    private RouteClaim routeClaim;
    ProjectRunStages stages;
    private String accountId;
    private int ids;

    @BeforeEach
    void setUp() throws Exception {
        database = openDatabase();
        DataSource dataSource = database.dataSource();
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource);
        Clock clock = Clock.systemUTC();
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        jobs = new JobStore(jdbc, transactions, clock);
        store = new ProjectStore(jdbc, jobs, transactions, clock);
        accountId = new AccountStore(jdbc, clock).createAccount("studio", null, 1).account().id();
        routeClaim = new RouteClaim(dataSource, clock);
        stages = new ProjectRunStages(dataSource, clock, jobs);
    }

    @AfterEach
    void tearDown() throws Exception {
        stages.close();
        routeClaim.close();
        database.close();
    }

    /** A run's claim as a job's: the route job-claim (its step claim-job-row). */
    WorkClaim claim(String runId, String worker, java.time.Duration lease) {
        return routeClaim.claim(runId, worker, lease);
    }

    VideoProject newProject() {
        return store.insertProject(new ProjectStore.NewProject("vp_" + (++ids), accountId, "p", true, "720p", "16:9",
                null, 0.5, false));
    }

    ProjectClip clip(VideoProject project, double seconds) {
        return store.addClip("clip_" + (++ids), project.id(), "k/" + ids + ".png", 800, 450, "zoom in", seconds);
    }

    ProjectStore.NewRun run(VideoProject project) {
        return new ProjectStore.NewRun("run_" + (++ids), project.id(), accountId, "0".repeat(64),
                Instant.now().plusSeconds(60), "local");
    }

    @Test
    void clipsKeepTheirOrderThroughReorderAndRemoval() {
        VideoProject project = newProject();
        ProjectClip a = clip(project, 5);
        ProjectClip b = clip(project, 4);
        ProjectClip c = clip(project, 3);
        assertThat(store.clips(project.id())).extracting(ProjectClip::id).containsExactly(a.id(), b.id(), c.id());

        assertThat(store.reorder(project.id(), List.of(c.id(), a.id(), b.id()))).isTrue();
        assertThat(store.clips(project.id())).extracting(ProjectClip::id).containsExactly(c.id(), a.id(), b.id());
        assertThat(store.reorder(project.id(), List.of(c.id(), a.id()))).as("must name every clip").isFalse();
        assertThat(store.reorder(project.id(), List.of(c.id(), a.id(), a.id()))).isFalse();

        assertThat(store.removeClip(project.id(), a.id())).isEqualTo(a.imageKey());
        assertThat(store.clips(project.id())).extracting(ProjectClip::position).containsExactly(0, 1);
        assertThat(store.clips(project.id())).extracting(ProjectClip::id).containsExactly(c.id(), b.id());
        assertThat(store.removeClip(project.id(), a.id())).isNull();
    }

    @Test
    void aRunFreezesTheClipsAndOnlyOneRunsAtATime() throws Exception {
        VideoProject empty = newProject();
        assertThat(store.startRun(run(empty))).isEqualTo(ProjectStore.StartOutcome.NO_CLIPS);

        VideoProject project = newProject();
        clip(project, 2);
        clip(project, 3);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<ProjectStore.StartOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ProjectStore.NewRun attempt = run(project);
            outcomes.add(pool.submit(() -> {
                start.await();
                return store.startRun(attempt);
            }));
        }
        start.countDown();
        int started = 0;
        for (Future<ProjectStore.StartOutcome> outcome : outcomes) {
            started += outcome.get() == ProjectStore.StartOutcome.STARTED ? 1 : 0;
        }
        pool.shutdown();
        assertThat(started).isEqualTo(1);
        VideoProject generating = store.findProject(project.id()).orElseThrow();
        assertThat(generating.status()).isEqualTo(VideoProject.GENERATING);
        List<RunClip> frozen = store.runClips(generating.currentRunId());
        assertThat(frozen).extracting(RunClip::durationSeconds).containsExactly(2.0, 3.0);
        assertThat(frozen).extracting(RunClip::status).containsOnly(RunClip.PENDING);
    }

    @Test
    void aRunIsAJobOfItsOwnKindThatTheJobsListsLeaveOut() {
        ProjectStore.NewRun run = startedRunOfOneClip();
        var job = jobs.find(run.id()).orElseThrow();
        assertThat(job.kind()).isEqualTo("video-project");
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.accountId()).isEqualTo(accountId);
        assertThat(store.findRun(run.id()).orElseThrow().status()).isEqualTo(ProjectRun.QUEUED);
        assertThat(jobs.recentForAccount(accountId, 10)).as("the dashboard's list").isEmpty();
        assertThat(jobs.countByStatus(accountId)).as("the account's job counts").isEmpty();
        assertThat(jobs.list(accountId, null, null, 10).orElseThrow().jobs()).as("GET /api/jobs").isEmpty();
    }

    @Test
    void aRunWhoseLeaseLapsedIsHandedBackOnceAndTakenOverAsItIs() {
        ProjectStore.NewRun run = startedRunOfOneClip();
        assertThat(claim(run.id(), "worker-a", java.time.Duration.ofSeconds(-5)).takenOver()).isFalse();
        assertThat(store.findRun(run.id()).orElseThrow().status()).isEqualTo(VideoProject.GENERATING);
        stages.completeClip(run.id(), 0, 1, "s0", BigDecimal.ONE, BigDecimal.ZERO);
        stages.compiling(run.id());
        // the sweep hands it back once (WorkRecoveryRouteTest); the next claim takes it over
        var takeover = claim(run.id(), "worker-b", java.time.Duration.ofMinutes(1));
        assertThat(takeover.takenOver()).isTrue();
        assertThat(store.findRun(run.id()).orElseThrow().status()).as("its stage is kept").isEqualTo("compiling");
        assertThat(jobs.stillHeld(java.util.List.of(run.id()), "worker-b")).containsExactly(run.id());
        assertThat(jobs.stillHeld(java.util.List.of(run.id()), "worker-a")).isEmpty();
        assertThat(claim(run.id(), "worker-c", java.time.Duration.ofMinutes(1)).claimed()).isFalse();
    }

    @Test
    void aCompletedRunAddsItsCostsToTheProjectAndTheAccountsUsage() {
        VideoProject project = newProject();
        clip(project, 5);
        clip(project, 5);
        ProjectStore.NewRun run = run(project);
        store.startRun(run);
        assertThat(claim(run.id(), "worker-a", java.time.Duration.ofMinutes(1)).claimed()).isTrue();
        assertThat(claim(run.id(), "worker-a", java.time.Duration.ofMinutes(1)).claimed()).isFalse();
        stages.completeClip(run.id(), 0, 2, "s0", new BigDecimal("3.50"), new BigDecimal("0.70"));
        stages.completeClip(run.id(), 1, 2, "s1", new BigDecimal("3.50"), BigDecimal.ZERO);
        stages.compiling(run.id());
        stages.recordProgress(run.id(), 40, "compiling");
        assertThat(store.findRun(run.id()).orElseThrow().progress()).as("never backwards").isEqualTo(80);
        assertThat(store.findProject(project.id()).orElseThrow().status()).isEqualTo(VideoProject.COMPILING);

        assertThat(stages.completeRun(run.id())).isTrue();
        assertThat(stages.completeRun(run.id())).as("once").isFalse();
        assertThat(stages.failRun(run.id(), "too late")).isFalse();
        ProjectRun done = store.findRun(run.id()).orElseThrow();
        assertThat(done.cost()).isEqualByComparingTo("7.70");
        assertThat(done.progress()).isEqualTo(100);
        VideoProject completed = store.findProject(project.id()).orElseThrow();
        assertThat(completed.status()).isEqualTo(VideoProject.COMPLETED);
        assertThat(completed.totalCost()).isEqualByComparingTo("7.70");
        assertThat(completed.finalVideoKey()).isEqualTo(ProjectRunStages.videoKey(run.id()));
        ProjectStore.Usage usage = store.usage(accountId);
        assertThat(usage.completedRuns()).isEqualTo(1);
        assertThat(usage.totalCost()).isEqualByComparingTo("7.70");
    }

    @Test
    void aFailedRunKeepsItsMessageAndWhatItSpent() {
        VideoProject project = newProject();
        clip(project, 5);
        clip(project, 5);
        ProjectStore.NewRun run = run(project);
        store.startRun(run);
        claim(run.id(), "worker-a", java.time.Duration.ofMinutes(1)).claimed();
        stages.completeClip(run.id(), 0, 2, "s0", new BigDecimal("3.50"), BigDecimal.ZERO);
        stages.startClip(run.id(), 1);
        stages.failClip(run.id(), 1, "Clip 2 failed after 4 attempts: FFmpeg exited with code 1");
        RunClip failedClip = store.runClips(run.id()).get(1);
        assertThat(failedClip.status()).isEqualTo(RunClip.FAILED);
        assertThat(failedClip.errorMessage()).startsWith("Clip 2 failed");
        assertThat(store.findRun(run.id()).orElseThrow().status()).isEqualTo(VideoProject.FAILED);
        assertThat(store.runLogs(run.id())).extracting(line -> line.message()).contains(failedClip.errorMessage());
        assertThat(stages.failRun(run.id(), "again")).as("once").isFalse();
        VideoProject failed = store.findProject(project.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(VideoProject.FAILED);
        assertThat(failed.errorMessage()).startsWith("Clip 2 failed");
        assertThat(failed.totalCost()).isEqualByComparingTo("3.50");
        // a failed project can run again
        assertThat(store.startRun(run(project))).isEqualTo(ProjectStore.StartOutcome.STARTED);
    }

    @Test
    void aRunFailedByTheJobFailureHandlingFailsItsClipsInFlightAndItsProjectOnce() {
        VideoProject project = newProject();
        clip(project, 5);
        clip(project, 5);
        clip(project, 5);
        ProjectStore.NewRun run = run(project);
        store.startRun(run);
        claim(run.id(), "worker-a", java.time.Duration.ofMinutes(1));
        stages.completeClip(run.id(), 0, 3, "s0", new BigDecimal("2.00"), new BigDecimal("0.40"));
        stages.startClip(run.id(), 1);
        stages.startClip(run.id(), 1);
        RunClip started = store.runClips(run.id()).get(1);
        assertThat(started.status()).isEqualTo(RunClip.GENERATING);
        assertThat(started.attempts()).isEqualTo(2);

        assertThat(stages.failJob(run.id(), "The run took longer than its time limit")).isTrue();
        stages.projectOfRunFailed(run.id());
        stages.projectOfRunFailed(run.id());

        assertThat(store.runClips(run.id())).extracting(RunClip::status)
                .containsExactly(RunClip.COMPLETED, RunClip.FAILED, RunClip.PENDING);
        assertThat(store.runClips(run.id()).get(1).errorMessage()).isEqualTo("The run took longer than its time limit");
        VideoProject failed = store.findProject(project.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(VideoProject.FAILED);
        assertThat(failed.errorMessage()).isEqualTo("The run took longer than its time limit");
        assertThat(failed.totalCost()).as("counted once").isEqualByComparingTo("2.40");
        assertThat(store.findRun(run.id()).orElseThrow().cost()).isEqualByComparingTo("2.40");
    }

    @Test
    void clipsOnTheQueueAreTakenByAnyInstanceAndTheLastOneInHandsTheRunToOneCompile() throws Exception {
        VideoProject project = newProject();
        for (int i = 0; i < 4; i++) {
            clip(project, 2);
        }
        ProjectStore.NewRun run = run(project);
        store.startRun(run);
        assertThat(claim(run.id(), "worker-a", java.time.Duration.ofMinutes(1)).claimed()).isTrue();
        stages.clipsQueued(run.id(), "worker-a", Instant.now().plusSeconds(1800));
        assertThat(jobs.stillHeld(List.of(run.id()), "worker-a"))
                .as("no instance holds a run whose clips are on the queue").isEmpty();

        assertThat(stages.takeClip(run.id(), 0, "worker-a").takenOver()).isFalse();
        assertThat(stages.takeClip(run.id(), 1, "worker-b").takenOver()).isFalse();
        stages.startClip(run.id(), 1);
        // worker-b died while rendering clip 2: the broker hands its message to worker-a
        var takeover = stages.takeClip(run.id(), 1, "worker-a");
        assertThat(takeover.claimed()).isTrue();
        assertThat(takeover.takenOver()).isTrue();
        assertThat(store.clipsStillHeld(List.of(new ClipWork(run.id(), 1)), "worker-b")).as("taken over").isEmpty();
        assertThat(store.clipsStillHeld(List.of(new ClipWork(run.id(), 1)), "worker-a")).hasSize(1);
        for (int i = 0; i < 4; i++) {
            stages.completeClip(run.id(), i, 4, "s" + i, BigDecimal.ONE, BigDecimal.ZERO);
        }
        assertThat(stages.takeClip(run.id(), 2, "worker-b").claimed()).as("a clip made is not taken again").isFalse();

        // the two instances that made the last two clips ask at once: one of them hands the run to its compile
        ExecutorService both = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> asks = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            asks.add(both.submit(() -> {
                start.await();
                return stages.lastClipIn(run.id());
            }));
        }
        start.countDown();
        int last = 0;
        for (Future<Boolean> ask : asks) {
            last += ask.get() ? 1 : 0;
        }
        both.shutdown();
        assertThat(last).isEqualTo(1);
        assertThat(store.findRun(run.id()).orElseThrow().status()).isEqualTo(VideoProject.COMPILING);
        assertThat(claim(run.id(), "worker-b", java.time.Duration.ofMinutes(1)).takenOver())
                .as("the compile's claim is no take-over").isFalse();
        assertThat(store.runClips(run.id())).extracting(RunClip::renderedBy)
                .containsExactly("worker-a", "worker-a", null, null);
    }

    @Test
    void aRunWhoseClipsAreOnTheQueueIsClaimedAgainWithoutATakeover() {
        VideoProject project = newProject();
        clip(project, 2);
        ProjectStore.NewRun run = run(project);
        store.startRun(run);
        claim(run.id(), "worker-a", java.time.Duration.ofMinutes(1));
        stages.clipsQueued(run.id(), "worker-a", Instant.now().plusSeconds(1800));
        assertThat(stages.lastClipIn(run.id())).as("its clip is not made").isFalse();

        ProjectStore.NewRun late = run(newProjectWithClip());
        store.startRun(late);
        claim(late.id(), "worker-a", java.time.Duration.ofMinutes(1));
        stages.clipsQueued(late.id(), "worker-a", Instant.now().minusSeconds(1));
        // past its time limit the sweep hands it back (WorkRecoveryRouteTest)
        assertThat(claim(late.id(), "worker-b", java.time.Duration.ofMinutes(1)).takenOver())
                .as("no instance held it: its claim is no take-over").isFalse();
    }

    /** A new project of one 5 s clip, and its run, started. */
    private ProjectStore.NewRun startedRunOfOneClip() {
        VideoProject project = newProject();
        clip(project, 5);
        ProjectStore.NewRun run = run(project);
        store.startRun(run);
        return run;
    }

    private VideoProject newProjectWithClip() {
        VideoProject project = newProject();
        clip(project, 2);
        return project;
    }
}
