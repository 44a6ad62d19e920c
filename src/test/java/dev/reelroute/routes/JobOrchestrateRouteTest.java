package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.RunningWork;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * job-orchestrate, from the job id off {@code reelroute.jobs}: claim, plan ({@code generate-clips}, a mock planning
 * the real render), the cancel check, compile (the real video-compile, its FFmpeg and storage mocked), report,
 * webhook ({@code queue-webhook}); and job-claim, the claim it starts with.
 */
class JobOrchestrateRouteTest extends StageRouteTest {
    private static final String HOOK = "http://127.0.0.1:9/hooks/orchestrated";

    @Autowired
    RunningWork runningWork;

    @Test
    void aJobAnotherLiveWorkerHoldsIsSkipped() throws Exception {
        Job job = imageAudioJob(HOOK);
        assertThat(claimAs(job.id(), "another-instance", Duration.ofMinutes(5)).claimed()).isTrue();

        Exchange skipped = orchestrate(job);

        assertThat(skipped.getProperty(Exchange.EXCEPTION_CAUGHT)).as("stopped, not failed").isNull();
        assertThat(mock(GENERATE_CLIPS).getReceivedCounter()).as("not planned").isZero();
        assertThat(mock(FFMPEG).getReceivedCounter()).as("not rendered").isZero();
        assertNothingSentFor(mock(WEBHOOK_QUEUE), job);
        Job untouched = reread(job);
        assertThat(untouched.status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(untouched.progress()).as("no stage reported by this worker").isZero();
    }

    @Test
    void aJobCancelledWhileItsClipIsMadeStopsBeforeTheCompile() throws Exception {
        Job job = imageAudioJob(HOOK);
        mock(GENERATE_CLIPS).whenAnyExchangeReceived(exchange -> assertThat(
                jobStore.cancel(job.id(), job.accountId())).contains(JobStatus.PROCESSING));

        Exchange stopped = orchestrate(job);

        assertThat(stopped.getProperty(Exchange.EXCEPTION_CAUGHT)).as("stopped at stop-cancelled-job, not failed")
                .isNull();
        assertThat(mock(GENERATE_CLIPS).getReceivedCounter()).isEqualTo(1);
        assertThat(mock(FFMPEG).getReceivedCounter()).as("not rendered").isZero();
        assertThat(mock(STORE_OUTPUTS).getReceivedCounter()).isZero();
        assertNothingSentFor(mock(WEBHOOK_QUEUE), job);
        Job cancelled = reread(job);
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.errorMessage()).isNull();
    }

    @Test
    void aJobThatCompilesIsReportedCompletedAndItsWebhookQueued() throws Exception {
        Job job = imageAudioJob(HOOK);
        clipsArePlanned();
        outputsAreStored();
        NotifyBuilder started = eventPublished(job, "stage", "preparing");
        NotifyBuilder completed = eventPublished(job, "completed", null);

        orchestrate(job);

        assertThat(mock(FFMPEG).getReceivedCounter()).isEqualTo(1);
        assertThat(mock(FFMPEG_THUMBNAIL).getReceivedCounter()).isEqualTo(1);
        assertThat(started.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(completed.matches(10, TimeUnit.SECONDS)).as("report-job-completed published").isTrue();
        assertThat(reread(job).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(sentFor(mock(WEBHOOK_QUEUE), job)).isEqualTo(1);
        Message queued = firstSentFor(mock(WEBHOOK_QUEUE), job);
        assertThat(queued.getHeader("eventId", String.class)).isNotBlank();
        assertThat(queued.getBody(String.class)).contains(job.id(), "COMPLETED");
    }

    /** job-claim on its own, as job-orchestrate calls it; true when the job is now this worker's. */
    private boolean claim(Job job) {
        Exchange claimed = template.send("direct:job-claim", exchange -> exchange.setProperty("jobId", job.id()));
        assertThat(claimed.getException()).isNull();
        return claimed.getProperty("claimed", Boolean.class);
    }

    @Test
    void aPendingJobIsClaimedOnceWithALeaseFromTheClaimAndALiveLeaseIsNotTakenOver() throws Exception {
        Job job = imageAudioJob(HOOK);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        assertThat(claim(job)).isTrue();

        Job claimed = reread(job);
        assertThat(claimed.status()).isEqualTo(JobStatus.PROCESSING);
        assertThat(claimed.stage()).isEqualTo("preparing");
        assertThat(claimed.statusMessage()).isEqualTo("Preparing inputs");
        assertThat(claimed.retries()).isZero();
        assertThat(claimed.startedAt()).isNotNull();
        Map<String, Object> lease = leaseOf(job);
        assertThat(lease.get("claimed_by")).isEqualTo(runningWork.instanceId());
        assertThat(((Timestamp) lease.get("lease_expires_at")).toInstant())
                .isAfterOrEqualTo(before.plus(runningWork.lease()));
        assertThat(claim(job)).as("its lease is live").isFalse();
        assertThat(reread(job).retries()).isZero();
    }

    @Test
    void aJobWhoseWorkersLeaseLapsedIsTakenOverAndTheTakeOverCounted() throws Exception {
        Job job = imageAudioJob(HOOK);
        assertThat(claimAs(job.id(), "a-stopped-instance", Duration.ofMinutes(1)).claimed()).isTrue();
        Instant startedAt = reread(job).startedAt();
        jdbc.update("UPDATE jobs SET lease_expires_at = ? WHERE id = ?", Timestamp.from(Instant.now().minusSeconds(1)),
                job.id());

        assertThat(claim(job)).isTrue();

        Job takenOver = reread(job);
        assertThat(takenOver.retries()).isEqualTo(1);
        assertThat(takenOver.statusMessage()).isEqualTo("Resuming: the worker running it stopped");
        assertThat(takenOver.startedAt()).as("kept from the first claim").isEqualTo(startedAt);
        assertThat(leaseOf(job).get("claimed_by")).isEqualTo(runningWork.instanceId());
    }

    @Test
    void ofClaimsRacingForOneJobExactlyOneWins() throws Exception {
        Job job = imageAudioJob(HOOK);
        int racers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    return claim(job);
                }));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> claim : claims) {
                won += claim.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(reread(job).retries()).isZero();
    }

    private Map<String, Object> leaseOf(Job job) {
        return jdbc.queryForMap("SELECT claimed_by, lease_expires_at FROM jobs WHERE id = ?", job.id());
    }
}
