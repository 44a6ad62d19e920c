package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/**
 * job-orchestrate, from the job id off {@code reelroute.jobs}: claim, plan ({@code generate-clips}, a mock planning
 * the real render), the cancel check, compile (the real video-compile, its FFmpeg and storage mocked), report,
 * webhook ({@code queue-webhook}).
 */
class JobOrchestrateRouteTest extends StageRouteTest {
    private static final String HOOK = "http://127.0.0.1:9/hooks/orchestrated";

    @Test
    void aJobAnotherLiveWorkerHoldsIsSkipped() throws Exception {
        Job job = imageAudioJob(HOOK);
        assertThat(jobStore.claim(job.id(), "another-instance", Duration.ofMinutes(5)).claimed()).isTrue();

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
}
