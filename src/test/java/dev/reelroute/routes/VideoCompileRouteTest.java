package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.PlannedRender;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Message;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/**
 * video-compile: the render ({@code run-ffmpeg}) and the thumbnail ({@code run-ffmpeg-thumbnail}) are handed to
 * camel-exec as an executable and an argument list, then the outputs are stored ({@code store-outputs}), with a
 * stage reported before each; an FFmpeg failure stops the compile and fails the job with its message.
 */
class VideoCompileRouteTest extends StageRouteTest {

    @Test
    void theRenderThenTheThumbnailThenStoringTheOutputs() throws Exception {
        Job job = imageAudioJob(null);
        assertThat(claimAs(job.id(), "route-test", Duration.ofMinutes(5)).claimed()).isTrue();
        PlannedRender plan = planOf(job.id());
        NotifyBuilder rendering = eventPublished(job, "stage", "rendering");
        NotifyBuilder uploading = eventPublished(job, "stage", "uploading");
        MockEndpoint ffmpeg = mock(FFMPEG);
        ffmpeg.expectedMessageCount(1);
        MockEndpoint thumbnail = mock(FFMPEG_THUMBNAIL);
        thumbnail.expectedMessageCount(1);
        MockEndpoint store = mock(STORE_OUTPUTS);
        store.expectedMessageCount(1);
        store.expectedPropertyReceived("jobId", job.id());
        double renders = counted("reelroute.ffmpeg.render", "kind", Job.KIND_IMAGE_AUDIO);
        double realtimeFactors = counted("reelroute.ffmpeg.realtime.factor", "kind", Job.KIND_IMAGE_AUDIO);
        double renderingStages = counted("reelroute.job.stage", "kind", Job.KIND_IMAGE_AUDIO, "stage", "rendering");

        template.send("direct:video-compile", exchange -> {
            exchange.setProperty("jobId", job.id());
            exchange.setProperty("jobKind", job.kind());
            exchange.setProperty("renderPlan", plan);
        });

        MockEndpoint.assertIsSatisfied(ffmpeg, thumbnail, store);
        Message render = ffmpeg.getReceivedExchanges().get(0).getMessage();
        assertThat(render.getHeader("CamelExecCommandExecutable")).isEqualTo(plan.ffmpeg());
        List<Object> renderArgs = render.getHeader("CamelExecCommandArgs", List.class);
        assertThat(renderArgs).contains("-movflags", "+faststart", "-c:v", "libx264",
                plan.outputVideo().toString());
        assertThat(render.getBody(String.class)).as("nothing on FFmpeg's stdin").isEmpty();
        Message thumb = thumbnail.getReceivedExchanges().get(0).getMessage();
        assertThat(thumb.getHeader("CamelExecCommandExecutable")).isEqualTo(plan.ffmpeg());
        assertThat(thumb.getHeader("CamelExecCommandArgs", List.class))
                .contains(plan.outputVideo().toString(), plan.outputThumbnail().toString());
        assertThat(store.getReceivedExchanges().get(0).getProperty("ffmpegStartedNanos")).isNotNull();
        // report-rendering before the render, report-uploading before storing
        assertThat(rendering.matches(10, TimeUnit.SECONDS)).as("rendering reported").isTrue();
        assertThat(uploading.matches(10, TimeUnit.SECONDS)).as("uploading reported").isTrue();
        assertThat(reread(job).progress()).isEqualTo(92);
        // ops timed the render step, and the rendering stage once uploading began
        assertThat(counted("reelroute.ffmpeg.render", "kind", Job.KIND_IMAGE_AUDIO)).isEqualTo(renders + 1);
        assertThat(counted("reelroute.ffmpeg.realtime.factor", "kind", Job.KIND_IMAGE_AUDIO))
                .isEqualTo(realtimeFactors + 1);
        assertThat(counted("reelroute.job.stage", "kind", Job.KIND_IMAGE_AUDIO, "stage", "rendering"))
                .isEqualTo(renderingStages + 1);
    }

    @Test
    void anFfmpegFailureFailsTheJobWithItsMessageAndNothingIsStored() throws Exception {
        Job job = imageAudioJob("http://127.0.0.1:9/hooks/compile-failed");
        clipsArePlanned();
        mock(FFMPEG).whenAnyExchangeReceived(exchange -> {
            throw new ExecException("ffmpeg failed", null,
                    new ByteArrayInputStream("Conversion failed!".getBytes(StandardCharsets.UTF_8)), 1);
        });
        NotifyBuilder failedEvent = eventPublished(job, "failed", null);
        double renders = counted("reelroute.ffmpeg.render", "kind", Job.KIND_IMAGE_AUDIO);
        double renderingStages = counted("reelroute.job.stage", "kind", Job.KIND_IMAGE_AUDIO, "stage", "rendering");

        orchestrate(job);

        assertThat(mock(FFMPEG).getReceivedCounter()).isEqualTo(1);
        assertThat(mock(FFMPEG_THUMBNAIL).getReceivedCounter()).isZero();
        assertThat(mock(STORE_OUTPUTS).getReceivedCounter()).isZero();
        Job failed = reread(job);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.errorMessage()).isEqualTo("Rendering failed: FFmpeg exited with code 1");
        assertThat(failed.outputVideoKey()).isNull();
        // the failure is reported, and its webhook queued
        assertThat(failedEvent.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sentFor(mock(WEBHOOK_QUEUE), job)).isEqualTo(1);
        assertThat(firstSentFor(mock(WEBHOOK_QUEUE), job).getBody(String.class))
                .contains("\"status\":\"FAILED\"", "FFmpeg exited with code 1");
        assertThat(jobStore.logs(job.id())).anySatisfy(line -> assertThat(line.level()).isEqualTo("ERROR"));
        // a render that failed is not timed; the stage the job failed in ends with it
        assertThat(counted("reelroute.ffmpeg.render", "kind", Job.KIND_IMAGE_AUDIO)).isEqualTo(renders);
        assertThat(counted("reelroute.job.stage", "kind", Job.KIND_IMAGE_AUDIO, "stage", "rendering"))
                .isEqualTo(renderingStages + 1);
    }

    @Test
    void storedOutputsCompleteTheJobWithItsKeysDurationCostAndMessage() throws Exception {
        Job job = imageAudioJob(null);
        assertThat(claimAs(job.id(), "route-test", Duration.ofMinutes(5)).claimed()).isTrue();
        PlannedRender plan = renderedPlanOf(job);

        template.send("direct:store-job-outputs", exchange -> {
            exchange.setProperty("jobId", job.id());
            exchange.setProperty("renderPlan", plan);
        });

        Job done = reread(job);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.progress()).isEqualTo(100);
        assertThat(done.stage()).isEqualTo("completed");
        assertThat(done.statusMessage()).isEqualTo(plan.completedMessage());
        assertThat(done.outputVideoKey()).isEqualTo("jobs/" + job.id() + "/output.mp4");
        assertThat(done.thumbnailKey()).isEqualTo("jobs/" + job.id() + "/thumbnail.jpg");
        assertThat(done.outputDurationMs()).isEqualTo(Math.round(plan.durationSeconds() * 1000));
        assertThat(done.completedAt()).isNotNull();
        assertThat(storage.open(done.outputVideoKey())).isPresent();
        assertThat(storage.open(done.thumbnailKey())).isPresent();
        assertThat(jobStore.logs(job.id())).anySatisfy(line -> assertThat(line.message()).startsWith("Rendered "));
    }

    @Test
    void aJobCancelledWhileRenderingStaysCancelledAndWhatWasStoredIsRemoved() throws Exception {
        Job job = imageAudioJob(null);
        assertThat(claimAs(job.id(), "route-test", Duration.ofMinutes(5)).claimed()).isTrue();
        PlannedRender plan = renderedPlanOf(job);
        assertThat(jobStore.cancel(job.id(), job.accountId())).contains(JobStatus.PROCESSING);

        template.send("direct:store-job-outputs", exchange -> {
            exchange.setProperty("jobId", job.id());
            exchange.setProperty("renderPlan", plan);
        });

        Job cancelled = reread(job);
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.outputVideoKey()).isNull();
        assertThat(storage.open("jobs/" + job.id() + "/output.mp4")).isEmpty();
        assertThat(storage.open("jobs/" + job.id() + "/thumbnail.jpg")).isEmpty();
    }

    /** The job's render plan with its video and thumbnail written where FFmpeg would have written them. */
    private PlannedRender renderedPlanOf(Job job) throws Exception {
        PlannedRender plan = planOf(job.id());
        java.nio.file.Files.createDirectories(plan.outputVideo().getParent());
        java.nio.file.Files.write(plan.outputVideo(), new byte[] {0, 0, 0, 24});
        java.nio.file.Files.createDirectories(plan.outputThumbnail().getParent());
        java.nio.file.Files.write(plan.outputThumbnail(), new byte[] {(byte) 0xff, (byte) 0xd8});
        return plan;
    }
}
