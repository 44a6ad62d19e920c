package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.config.Ids;
import dev.reelroute.project.ClipTask;
import dev.reelroute.project.ProjectRender;
import dev.reelroute.project.ProjectStore;
import dev.reelroute.project.RunClip;
import dev.reelroute.support.TestMedia;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * project-clip: one clip of a project run, its FFmpeg run ({@code run-segment-ffmpeg}) a mock. A failed attempt is
 * tried again (project-clip-with-retries: three retries here, a few ms apart) and the clip stored once one
 * succeeds; a clip that fails every attempt is marked failed with its message, and nothing is stored.
 */
class ProjectClipRouteTest extends StageRouteTest {
    private static final int ATTEMPTS = 1 + 3;

    @Autowired
    ProjectStore projects;
    @Autowired
    ProjectRender projectRender;

    @Test
    void aClipFailingTwiceThenSucceedingIsRetriedAndStored() throws Exception {
        ClipTask task = oneClipRun();
        MockEndpoint ffmpeg = mock(SEGMENT_FFMPEG);
        ffmpeg.expectedMessageCount(3);
        ffmpeg.whenExchangeReceived(1, ffmpegFails());
        ffmpeg.whenExchangeReceived(2, ffmpegFails());
        ffmpeg.whenExchangeReceived(3, exchange -> Files.write(task.segment(), new byte[] {0, 0, 0, 24}));

        Exchange clip = template.send("direct:project-clip", exchange -> exchange.getMessage().setBody(task));

        assertThat(clip.getException()).isNull();
        ffmpeg.assertIsSatisfied();
        // the encode names the service's FFmpeg itself: camel-exec took the header off for the fit before it
        assertThat(ffmpeg.getReceivedExchanges()).allSatisfy(encode -> assertThat(encode.getMessage()
                .getHeader(ExecBinding.EXEC_COMMAND_EXECUTABLE, String.class)).isEqualTo(projectRender.ffmpeg()));
        RunClip made = projects.runClips(task.runId()).get(0);
        assertThat(made.status()).isEqualTo(RunClip.COMPLETED);
        assertThat(made.attempts()).isEqualTo(3);
        assertThat(made.segmentKey()).isNotNull();
        assertThat(storage.open(made.segmentKey())).as("segment stored").isPresent();
        assertThat(projects.runLogs(task.runId())).filteredOn(line -> line.message().endsWith("; retrying"))
                .hasSize(2);
    }

    @Test
    void aClipFailingEveryAttemptIsMarkedFailedWithItsMessage() throws Exception {
        ClipTask task = oneClipRun();
        MockEndpoint ffmpeg = mock(SEGMENT_FFMPEG);
        ffmpeg.expectedMessageCount(ATTEMPTS);
        ffmpeg.whenAnyExchangeReceived(ffmpegFails());

        Exchange clip = template.send("direct:project-clip", exchange -> exchange.getMessage().setBody(task));

        assertThat(clip.getException()).as("handled: the orchestrator fails the run").isNull();
        ffmpeg.assertIsSatisfied();
        RunClip failed = projects.runClips(task.runId()).get(0);
        assertThat(failed.status()).isEqualTo(RunClip.FAILED);
        assertThat(failed.attempts()).isEqualTo(ATTEMPTS);
        assertThat(failed.errorMessage()).startsWith("Clip 1 failed after " + ATTEMPTS + " attempts: ");
        assertThat(failed.segmentKey()).isNull();
        assertThat(projectRender.runHasFailedClip(task.runId())).isTrue();
    }

    private static Processor ffmpegFails() {
        return exchange -> {
            throw new ExecException("ffmpeg failed", null,
                    new ByteArrayInputStream("Conversion failed!".getBytes(StandardCharsets.UTF_8)), 1);
        };
    }

    /** A started run of a new one-clip project (its image and canvas in storage), and that clip's task. */
    private ClipTask oneClipRun() throws Exception {
        String accountId = newAccount("project-clip-" + Ids.newId()).accountId();
        String projectId = Ids.newId();
        projects.insertProject(new ProjectStore.NewProject(projectId, accountId, "route test", false, "720p", "16:9",
                null, 0.0, false));
        Path dir = Files.createTempDirectory(dataDir, "project-");
        String imageKey = "projects/" + projectId + "/clip.png";
        storage.put(imageKey, TestMedia.png(dir, 320, 240), "image/png");
        projects.addClip(Ids.newId(), projectId, imageKey, 320, 240, "slow zoom in", 1.0);
        String runId = "run_" + Ids.newId();
        assertThat(projects.startRun(new ProjectStore.NewRun(runId, projectId, accountId, "route-test-token-hash",
                Instant.now().plus(1, ChronoUnit.HOURS), "local"))).isEqualTo(ProjectStore.StartOutcome.STARTED);
        // the run's fit of its images, as project-run does it before it queues the clips
        for (List<String> arguments : projectRender.canvasArguments(runId)) {
            List<String> fit = new java.util.ArrayList<>(List.of(projectRender.ffmpeg()));
            fit.addAll(arguments);
            TestMedia.run(fit);
        }
        projectRender.storeCanvases(runId);
        List<ClipTask> tasks = projectRender.clipTasks(runId);
        assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }
}
