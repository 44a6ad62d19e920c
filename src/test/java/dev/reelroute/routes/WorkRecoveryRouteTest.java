package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reelroute.config.Ids;
import dev.reelroute.config.WorkDirs;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.RunningWork;
import dev.reelroute.project.ProjectStore;
import dev.reelroute.support.ChildProcesses;
import dev.reelroute.support.TestMedia;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * work-recovery: the sweep ({@code direct:} here instead of its timer) hands work whose worker stopped back to the
 * queue, swapped by a mock ({@code requeue-job}; a video project's run is a job too); the watchdog ({@code direct:} instead of its
 * timer) stops work of this instance that ended elsewhere, killing its FFmpeg, while job-orchestrate runs it.
 */
class WorkRecoveryRouteTest extends StageRouteTest {
    /** Longer ago than the default resend-after (15 min): a queue message sent then counts as lost. */
    private static final Duration LONG_AGO = Duration.ofMinutes(16);
    private static final String HOOK = "http://127.0.0.1:9/hooks/recovery";

    @Autowired
    RunningWork runningWork;
    @Autowired
    WorkDirs workDirs;
    @Autowired
    ProjectStore projects;

    private void sweep() {
        Exchange swept = template.send("direct:work-recovery-sweep", exchange -> { });
        assertThat(swept.getException()).isNull();
    }

    private static List<String> requeued(MockEndpoint queue) {
        return queue.getReceivedExchanges().stream().map(e -> e.getMessage().getBody(String.class)).toList();
    }

    private void setJobTime(Job job, String column, Instant when) {
        assertThat(jdbc.update("UPDATE jobs SET " + column + " = ? WHERE id = ?", Timestamp.from(when), job.id()))
                .isEqualTo(1);
    }

    @Test
    void theSweepRequeuesJobsWhoseWorkerStoppedOrWhoseMessageWasLostAndNoOthers() throws Exception {
        Job lapsed = imageAudioJob(null);
        assertThat(claimAs(lapsed.id(), "a-stopped-instance", Duration.ofMinutes(1)).claimed()).isTrue();
        setJobTime(lapsed, "lease_expires_at", Instant.now().minusSeconds(1));
        Job lost = imageAudioJob(null);
        setJobTime(lost, "created_at", Instant.now().minus(LONG_AGO));
        setJobTime(lost, "enqueued_at", Instant.now().minus(LONG_AGO));
        Job running = imageAudioJob(null);
        assertThat(claimAs(running.id(), "a-live-instance", Duration.ofMinutes(5)).claimed()).isTrue();
        Job waiting = imageAudioJob(null);

        sweep();

        assertThat(requeued(mock(REQUEUED_JOBS))).contains(lapsed.id(), lost.id())
                .doesNotContain(running.id(), waiting.id());
        // the lapsed job is the next claim's: taken over, once
        assertThat(claimAs(lapsed.id(), "the-next-worker", Duration.ofMinutes(5)).takenOver()).isTrue();
        assertThat(claimAs(running.id(), "the-next-worker", Duration.ofMinutes(5)).claimed())
                .as("a live lease is not taken").isFalse();

        MockEndpoint.resetMocks(camel);
        sweep();
        assertThat(requeued(mock(REQUEUED_JOBS))).as("sent again only after resend-after")
                .doesNotContain(lapsed.id(), lost.id());
    }

    @Test
    void aJobWaitingOnALostMessageIsSentAgainEachResendAfterAndAnEndedJobNever() throws Exception {
        Job waiting = imageAudioJob(null);
        setJobTime(waiting, "created_at", Instant.now().minus(LONG_AGO));
        setJobTime(waiting, "enqueued_at", Instant.now().minus(LONG_AGO));
        Job ended = imageAudioJob(null);
        assertThat(jobStore.cancelIfPending(ended.id(), ended.accountId())).isTrue();
        setJobTime(ended, "created_at", Instant.now().minus(LONG_AGO));

        sweep();
        assertThat(requeued(mock(REQUEUED_JOBS))).contains(waiting.id()).doesNotContain(ended.id());
        assertThat(jdbc.queryForObject("SELECT enqueued_at FROM jobs WHERE id = ?", Timestamp.class, waiting.id())
                .toInstant()).as("marked as sent now").isAfter(Instant.now().minus(Duration.ofMinutes(1)));

        MockEndpoint.resetMocks(camel);
        sweep();
        assertThat(requeued(mock(REQUEUED_JOBS))).as("just sent").doesNotContain(waiting.id());

        setJobTime(waiting, "enqueued_at", Instant.now().minus(LONG_AGO));
        MockEndpoint.resetMocks(camel);
        sweep();
        assertThat(requeued(mock(REQUEUED_JOBS))).as("its message lost again").contains(waiting.id())
                .doesNotContain(ended.id());
    }

    @Test
    void aLapsedLeaseIsHandedBackOnceClearedAndNotAgainOnceTakenOver() throws Exception {
        Job lapsed = imageAudioJob(null);
        assertThat(claimAs(lapsed.id(), "a-stopped-instance", Duration.ofMinutes(1)).claimed()).isTrue();
        setJobTime(lapsed, "lease_expires_at", Instant.now().minusSeconds(1));

        sweep();
        assertThat(requeued(mock(REQUEUED_JOBS))).contains(lapsed.id());
        assertThat(jdbc.queryForObject("SELECT lease_expires_at FROM jobs WHERE id = ?", Timestamp.class,
                lapsed.id())).as("the lapsed lease cleared").isNull();
        assertThat(reread(lapsed).status()).isEqualTo(JobStatus.PROCESSING);

        MockEndpoint.resetMocks(camel);
        sweep();
        assertThat(requeued(mock(REQUEUED_JOBS))).as("handed back once").doesNotContain(lapsed.id());

        assertThat(claimAs(lapsed.id(), "the-next-worker", Duration.ofMinutes(5)).takenOver()).isTrue();
        MockEndpoint.resetMocks(camel);
        sweep();
        assertThat(requeued(mock(REQUEUED_JOBS))).as("the next worker holds it").doesNotContain(lapsed.id());
    }

    @Test
    void theSweepRequeuesAProjectRunWhoseMessageWasLost() throws Exception {
        String lostRun = queuedRun();
        assertThat(jdbc.update("UPDATE jobs SET created_at = ?, enqueued_at = ? WHERE id = ?",
                Timestamp.from(Instant.now().minus(LONG_AGO)), Timestamp.from(Instant.now().minus(LONG_AGO)),
                lostRun)).isEqualTo(1);
        String freshRun = queuedRun();

        sweep();

        assertThat(requeued(mock(REQUEUED_JOBS))).contains(lostRun).doesNotContain(freshRun);
    }

    @Test
    void aRunWhoseLeaseLapsedIsHandedBackOnce() throws Exception {
        String run = queuedRun();
        assertThat(claimAs(run, "a-stopped-instance", Duration.ofSeconds(-5)).claimed()).isTrue();

        MockEndpoint.resetMocks(camel);
        sweep();
        assertThat(requeued(mock(REQUEUED_JOBS))).contains(run);

        MockEndpoint.resetMocks(camel);
        sweep();
        assertThat(requeued(mock(REQUEUED_JOBS))).as("handed back once").doesNotContain(run);
    }

    @Test
    void aRunWhoseClipsAreOnTheQueueIsHandedBackOnlyOnceItsTimeLimitPassed() throws Exception {
        String inTime = queuedRun();
        assertThat(claimAs(inTime, "worker-a", Duration.ofMinutes(1)).claimed()).isTrue();
        clipsQueuedAs(inTime, "worker-a", Instant.now().plusSeconds(1800));
        String late = queuedRun();
        assertThat(claimAs(late, "worker-a", Duration.ofMinutes(1)).claimed()).isTrue();
        clipsQueuedAs(late, "worker-a", Instant.now().minusSeconds(1));

        MockEndpoint.resetMocks(camel);
        sweep();

        assertThat(requeued(mock(REQUEUED_JOBS))).as("no instance holds a run whose clips are on the queue")
                .contains(late).doesNotContain(inTime);
    }

    @Test
    void theWatchdogStopsAJobCancelledElsewhereAndKillsItsFfmpeg() throws Exception {
        Job job = imageAudioJob(HOOK);
        AtomicReference<Process> ffmpeg = new AtomicReference<>();
        AtomicReference<RunningWork.StopReason> stopped = new AtomicReference<>();
        mock(GENERATE_CLIPS).whenAnyExchangeReceived(exchange -> {
            ffmpeg.set(ffmpegWorkingIn(job));
            assertThat(jobStore.cancel(job.id(), job.accountId())).contains(JobStatus.PROCESSING);
            watch();
            stopped.set(runningWork.stopReason(job.id()).orElse(null));
        });

        boolean ffmpegAlive = orchestrateThenFfmpegAlive(job, ffmpeg);

        assertThat(stopped.get()).isEqualTo(RunningWork.StopReason.ENDED);
        assertThat(ffmpegAlive).as("its FFmpeg killed").isFalse();
        assertThat(mock(FFMPEG).getReceivedCounter()).as("not rendered").isZero();
        assertThat(reread(job).status()).isEqualTo(JobStatus.CANCELLED);
        assertNothingSentFor(mock(WEBHOOK_QUEUE), job);
        assertThat(runningWork.isWorkingOn(job.id())).as("released once its exchange ended").isFalse();
    }

    @Test
    void theWatchdogStopsAJobPastItsTimeLimitAndKillsItsFfmpeg() throws Exception {
        Job job = imageAudioJob(HOOK);
        AtomicReference<Process> ffmpeg = new AtomicReference<>();
        AtomicReference<RunningWork.StopReason> stopped = new AtomicReference<>();
        mock(GENERATE_CLIPS).whenAnyExchangeReceived(exchange -> {
            ffmpeg.set(ffmpegWorkingIn(job));
            // the watchdog's rounds, until the job has run past its limit (measured on the monotonic clock)
            await().atMost(Duration.ofSeconds(JOB_TIME_LIMIT_SECONDS * 10L)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        watch();
                        return runningWork.stopRequested(job.id());
                    });
            stopped.set(runningWork.stopReason(job.id()).orElse(null));
        });

        boolean ffmpegAlive = orchestrateThenFfmpegAlive(job, ffmpeg);

        assertThat(stopped.get()).isEqualTo(RunningWork.StopReason.TIMED_OUT);
        assertThat(ffmpegAlive).as("its FFmpeg killed").isFalse();
        assertThat(mock(FFMPEG).getReceivedCounter()).as("not rendered").isZero();
        Job failed = reread(job);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.errorMessage())
                .isEqualTo("The job ran past its time limit of " + JOB_TIME_LIMIT_SECONDS + " s and was stopped");
        assertThat(runningWork.isWorkingOn(job.id())).as("released once its exchange ended").isFalse();
    }

    @Test
    void theWatchdogStopsAJobTakenOverElsewhereWhichThisWorkerThenLeavesAlone() throws Exception {
        Job job = imageAudioJob(HOOK);
        AtomicReference<RunningWork.StopReason> stopped = new AtomicReference<>();
        mock(GENERATE_CLIPS).whenAnyExchangeReceived(exchange -> {
            assertThat(jdbc.update("UPDATE jobs SET claimed_by = 'another-instance' WHERE id = ?", job.id()))
                    .isEqualTo(1);
            watch();
            stopped.set(runningWork.stopReason(job.id()).orElse(null));
        });

        orchestrate(job);

        assertThat(stopped.get()).isEqualTo(RunningWork.StopReason.ENDED);
        assertThat(mock(FFMPEG).getReceivedCounter()).as("not rendered").isZero();
        Job other = reread(job);
        assertThat(other.status()).as("the other instance's to finish").isEqualTo(JobStatus.PROCESSING);
        assertThat(other.errorMessage()).isNull();
        assertNothingSentFor(mock(WEBHOOK_QUEUE), job);
    }

    @Test
    void theWatchdogLeavesWorkThatIsStillThisInstancesRunning() throws Exception {
        Job job = imageAudioJob(HOOK);
        AtomicReference<Boolean> stopRequested = new AtomicReference<>();
        outputsAreStored();
        mock(GENERATE_CLIPS).whenAnyExchangeReceived(exchange -> {
            exchange.setProperty("renderPlan", planOf(job.id()));
            watch();
            stopRequested.set(runningWork.stopRequested(job.id()));
        });

        orchestrate(job);

        assertThat(stopRequested.get()).isFalse();
        assertThat(mock(FFMPEG).getReceivedCounter()).isEqualTo(1);
        assertThat(reread(job).status()).isEqualTo(JobStatus.COMPLETED);
    }

    /** Orchestrates the job; whether the FFmpeg the test started in its work dir outlived it (it goes either way). */
    private boolean orchestrateThenFfmpegAlive(Job job, AtomicReference<Process> ffmpeg) throws Exception {
        try {
            orchestrate(job);
            return ffmpeg.get().isAlive();
        } finally {
            if (ffmpeg.get() != null) {
                ffmpeg.get().destroyForcibly();
            }
        }
    }

    private void watch() {
        Exchange watched = template.send("direct:work-watchdog", exchange -> { });
        assertThat(watched.getException()).isNull();
    }

    /** A real FFmpeg, idling on a silent source at its real rate, that names the job's work dir as its output. */
    private Process ffmpegWorkingIn(Job job) throws Exception {
        return ChildProcesses.start(new ProcessBuilder(TestMedia.ffmpegPath(), "-nostdin", "-loglevel", "error",
                "-re", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-f", "null",
                workDirs.of(job.id()).resolve("idle.null").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD));
    }

    /** A run of a new one-clip project, queued (its message sent now). */
    private String queuedRun() throws Exception {
        String accountId = newAccount("recovery-" + Ids.newId()).accountId();
        String projectId = Ids.newId();
        projects.insertProject(new ProjectStore.NewProject(projectId, accountId, "route test", false, "720p", "16:9",
                null, 0.0, false));
        projects.addClip(Ids.newId(), projectId, "projects/" + projectId + "/clip.png", 320, 240, null, 1.0);
        String runId = "run_" + Ids.newId();
        assertThat(projects.startRun(new ProjectStore.NewRun(runId, projectId, accountId, "route-test-token-hash",
                Instant.now().plus(Duration.ofHours(1)), "local"))).isEqualTo(ProjectStore.StartOutcome.STARTED);
        return runId;
    }
}
