package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobLogLine;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.PlannedRender;
import dev.reelroute.job.ProgressEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * job-progress (what the reporting kamelets wire-tap) with the publication on the job-events topic
 * ({@code publish-job-event}) a mock, and image-audio-plan, whose one report goes through it: an event is recorded on
 * the job and published with the properties subscribers select on; a late event never moves the job back.
 */
class JobProgressRouteTest extends StageRouteTest {
    @Autowired
    ObjectMapper json;

    /** An image + audio job this worker holds, as job-orchestrate's claim leaves it. */
    private Job processingJob() throws Exception {
        Job job = imageAudioJob(null);
        assertThat(claimAs(job.id(), "route-test", Duration.ofMinutes(5)).claimed()).isTrue();
        return reread(job);
    }

    private void report(Job job, String type, int progress, String stage, String message) {
        ProgressEvent event = new ProgressEvent(type, job.id(), job.accountId(), job.kind(),
                JobStatus.PROCESSING.name(), progress, stage, message, Instant.now());
        Exchange reported = template.send("direct:job-progress", exchange -> exchange.setProperty("progressEvent",
                event));
        assertThat(reported.getException()).isNull();
    }

    private Message lastPublishedFor(Job job) {
        return mock(JOB_EVENTS).getReceivedExchanges().stream().map(Exchange::getMessage)
                .filter(message -> job.id().equals(message.getHeader("jobId")))
                .reduce((first, second) -> second).orElseThrow(() -> new AssertionError("nothing published"));
    }

    @Test
    void aStageIsRecordedOnTheJobAndPublishedWithItsSelectableProperties() throws Exception {
        Job job = processingJob();

        report(job, "stage", 40, "rendering", "Rendering the video");

        Job reported = reread(job);
        assertThat(reported.progress()).isEqualTo(40);
        assertThat(reported.stage()).isEqualTo("rendering");
        assertThat(jobStore.logs(job.id())).extracting(JobLogLine::message).contains("Rendering the video");
        Message published = lastPublishedFor(job);
        assertThat(published.getHeaders()).containsEntry("accountId", job.accountId())
                .containsEntry("status", "PROCESSING").containsEntry("kind", Job.KIND_IMAGE_AUDIO)
                .containsEntry("eventType", "stage");
        JsonNode event = json.readTree(published.getBody(byte[].class));
        assertThat(event.get("jobId").asText()).isEqualTo(job.id());
        assertThat(event.get("progress").asInt()).isEqualTo(40);
        assertThat(event.get("message").asText()).isEqualTo("Rendering the video");
    }

    @Test
    void aLateEventIsPublishedButNeverMovesTheJobBack() throws Exception {
        Job job = processingJob();
        report(job, "progress", 60, "rendering", "Rendering 60%");

        report(job, "progress", 30, "rendering", "Rendering 30%");

        assertThat(reread(job).progress()).isEqualTo(60);
        assertThat(reread(job).statusMessage()).isEqualTo("Rendering 60%");
        assertThat(sentFor(mock(JOB_EVENTS), job)).isEqualTo(2);
    }

    @Test
    void aLateStageAddsNoLogLineAndProgressStaysBelowHundredUntilTheJobCompletes() throws Exception {
        Job job = processingJob();
        report(job, "stage", 50, "rendering", "Rendering the video");

        report(job, "stage", 20, "preparing", "A late preparing stage");
        report(job, "progress", 100, "rendering", "Rendering 100%");

        Job reported = reread(job);
        assertThat(reported.stage()).isEqualTo("rendering");
        assertThat(reported.progress()).isEqualTo(99);
        assertThat(jobStore.logs(job.id())).extracting(JobLogLine::message).contains("Rendering the video")
                .doesNotContain("A late preparing stage", "Rendering 100%");
    }

    @Test
    void anEventForAJobNoWorkerHoldsIsPublishedButNotRecorded() throws Exception {
        Job pending = imageAudioJob(null);

        report(pending, "stage", 40, "rendering", "Rendering the video");

        Job untouched = reread(pending);
        assertThat(untouched.status()).isEqualTo(JobStatus.PENDING);
        assertThat(untouched.progress()).isZero();
        assertThat(untouched.stage()).isEqualTo("queued");
        assertThat(jobStore.logs(pending.id())).extracting(JobLogLine::message).doesNotContain("Rendering the video");
        assertThat(sentFor(mock(JOB_EVENTS), pending)).isEqualTo(1);
    }

    @Test
    void aFailedEventAddsItsMessageAsAnErrorLine() throws Exception {
        Job job = processingJob();

        report(job, "failed", 0, "failed", "Rendering failed: FFmpeg exited with code 1");

        assertThat(jobStore.logs(job.id())).anySatisfy(line -> {
            assertThat(line.level()).isEqualTo("ERROR");
            assertThat(line.message()).isEqualTo("Rendering failed: FFmpeg exited with code 1");
        });
    }

    @Test
    void anImageAudioJobIsPlannedAsOneRenderAsLongAsItsAudioAndReportedGenerating() throws Exception {
        Job job = processingJob();
        NotifyBuilder reportedGenerating = eventPublished(job, "stage", "generating");

        Exchange planned = template.send("direct:image-audio-plan", exchange -> exchange.setProperty("jobId",
                job.id()));

        assertThat(planned.getException()).isNull();
        assertThat(reportedGenerating.matches(10, TimeUnit.SECONDS)).isTrue();
        PlannedRender render = planned.getProperty("renderPlan", PlannedRender.class);
        assertThat(render.durationSeconds()).isEqualTo(1.0, offset(0.05));
        assertThat(render.arguments()).contains("-movflags", "+faststart");
        Job reported = reread(job);
        assertThat(reported.progress()).isEqualTo(5);
        assertThat(reported.stage()).isEqualTo("generating");
    }

    @Test
    void anImageAudioJobWhoseAudioIsGoneFailsItsPlanAndReportsNothing() throws Exception {
        Job job = processingJob();
        storage.delete(job.inputAudioKey());

        Exchange planned = template.send("direct:image-audio-plan", exchange -> exchange.setProperty("jobId",
                job.id()));

        assertThat(planned.getException()).as("back to job-orchestrate's failure handling").isNotNull();
        assertThat(planned.getProperty("renderPlan")).isNull();
        assertThat(reread(job).progress()).isZero();
    }
}
