package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobLogLine;
import dev.reelroute.job.JobStatus;
import dev.reelroute.security.AccountStore;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.styletransfer.StyleApi;
import dev.reelroute.styletransfer.VideoStore;
import dev.reelroute.storage.DiskFull;
import dev.reelroute.support.TestMedia;
import dev.reelroute.web.UploadChecks;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Processor;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.exec.ExecException;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * style-transfer, as job-orchestrate runs it for a style-transfer job: the analysis FFmpeg runs
 * ({@code run-analysis-ffmpeg}) are a mock that runs the command it was given (or fails like FFmpeg), the compile's
 * FFmpeg and the output storage are mocks as in video-compile's test. The source is measured, the template's style
 * extracted when there is one, the grade planned and rendered; an analysis that fails fails the job with its
 * message, before anything is rendered.
 */
class StyleTransferRouteTest extends StageRouteTest {
    private static final String HOOK = "http://127.0.0.1:9/hooks/style";

    @TempDir
    static Path media;
    static Path warmClip;
    static Path coolClip;

    @Autowired
    StyleApi styleApi;
    @Autowired
    UploadChecks checks;
    @Autowired
    ObjectMapper json;
    @Autowired
    VideoStore videos;

    private ApiPrincipal principal;

    @BeforeAll
    static void clips() throws Exception {
        warmClip = clip("warm.mp4", "colorbalance=rs=0.3:bs=-0.3");
        coolClip = clip("cool.mp4", "colorbalance=rs=-0.3:bs=0.3");
    }

    private static Path clip(String name, String look) throws Exception {
        Path out = media.resolve(name);
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=s=160x90:rate=10:duration=1", "-f", "lavfi", "-i",
                "sine=frequency=440:duration=1", "-vf", look, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-shortest", out.toString());
        return out;
    }

    @BeforeEach
    void account() {
        AccountStore.CreatedKey key = newAccount("style-route-" + System.nanoTime());
        principal = accounts.principalForKey(key.apiKey()).orElseThrow();
    }

    /** A PENDING style-transfer job of the clip, toward the template's style when one is given. */
    private Job styleJob(Path source, Path template) throws Exception {
        ObjectNode body = json.createObjectNode().put("video_id", uploaded(source)).put("webhook_url", HOOK);
        if (template != null) {
            body.put("template_video_id", uploaded(template));
        }
        return jobStore.find(styleApi.create(body, principal)).orElseThrow();
    }

    /** The clip stored as one of the account's uploaded videos (a copy: storing moves the upload). */
    private String uploaded(Path clip) throws Exception {
        Path upload = Files.copy(clip, Files.createTempDirectory(dataDir, "upload-").resolve(clip.getFileName()));
        return styleApi.store(principal, checks.video(upload, "video")).id();
    }

    private List<String> logs(Job job) {
        return jobStore.logs(job.id()).stream().map(JobLogLine::message).toList();
    }

    @Test
    void aJobWithATemplateIsMeasuredGradedTowardTheTemplateAndCompleted() throws Exception {
        Job job = styleJob(warmClip, coolClip);
        List<List<String>> analyses = runsTheCommands(ANALYSIS_FFMPEG);
        outputsAreStored();
        NotifyBuilder extracting = eventPublished(job, "stage", "style_extraction");
        NotifyBuilder applying = eventPublished(job, "stage", "style_application");

        orchestrate(job);

        assertThat(analyses).hasSize(2);
        assertThat(analyses.get(0)).anyMatch(arg -> arg.contains("/source/"));
        assertThat(analyses.get(1)).anyMatch(arg -> arg.contains("/template/"));
        assertThat(extracting.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(applying.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(logs(job)).anyMatch(line -> line.startsWith("Source colour: "))
                .anyMatch(line -> line.startsWith("Template colour: "))
                .anyMatch(line -> line.startsWith("Source audio: ") && line.contains("LUFS"))
                .anyMatch(line -> line.startsWith("Template motion: "));
        Job done = reread(job);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.style().styleJson()).as("the template's style, kept on the job").isNotBlank();
        // the grade planned from the measurements is the compile's one render, of the stored source
        String sourceKey = videos.find(done.style().sourceVideoId()).orElseThrow().storageKey();
        MockEndpoint render = mock(FFMPEG);
        assertThat(render.getReceivedCounter()).isEqualTo(1);
        List<?> renderArgs = render.getReceivedExchanges().get(0).getMessage()
                .getHeader("CamelExecCommandArgs", List.class);
        assertThat(renderArgs).anyMatch(arg -> arg.toString().endsWith(sourceKey))
                .anyMatch(arg -> arg.toString().contains("lutyuv="));
        assertThat(sentFor(mock(WEBHOOK_QUEUE), job)).isEqualTo(1);
    }

    @Test
    void aJobWithoutATemplateMeasuresOnlyTheSourceAndKeepsItsStyle() throws Exception {
        Job job = styleJob(warmClip, null);
        List<List<String>> analyses = runsTheCommands(ANALYSIS_FFMPEG);
        outputsAreStored();

        orchestrate(job);

        assertThat(analyses).hasSize(1);
        assertThat(logs(job)).anyMatch(line -> line.startsWith("Source colour: "))
                .noneMatch(line -> line.startsWith("Template"));
        Job done = reread(job);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.style().styleJson()).isNotBlank();
    }

    @Test
    void aFailedSourceAnalysisFailsTheJobWithItsMessageBeforeAnythingIsRendered() throws Exception {
        Job job = styleJob(warmClip, coolClip);
        mock(ANALYSIS_FFMPEG).whenAnyExchangeReceived(ffmpegFails("Invalid data found when processing input"));

        orchestrate(job);

        assertFailedBeforeRendering(job, "Rendering failed: FFmpeg exited with code 1");
        assertThat(mock(ANALYSIS_FFMPEG).getReceivedCounter()).as("the template is not analysed").isEqualTo(1);
    }

    @Test
    void aTemplateAnalysisThatFillsTheDiskFailsTheJobSayingSo() throws Exception {
        Job job = styleJob(warmClip, coolClip);
        runsTheCommands(ANALYSIS_FFMPEG);
        MockEndpoint analysis = mock(ANALYSIS_FFMPEG);
        analysis.whenExchangeReceived(2, ffmpegFails("frame.txt: No space left on device"));

        orchestrate(job);

        assertThat(analysis.getReceivedCounter()).isEqualTo(2);
        assertFailedBeforeRendering(job,
                DiskFull.MESSAGE + ", so the job could not be finished; submit it again later");
    }

    private void assertFailedBeforeRendering(Job job, String message) {
        Job failed = reread(job);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.errorMessage()).isEqualTo(message);
        assertThat(failed.progress()).isLessThan(62);
        assertThat(mock(FFMPEG).getReceivedCounter()).as("nothing rendered").isZero();
        assertThat(mock(STORE_OUTPUTS).getReceivedCounter()).isZero();
        assertFailureWebhookQueued(job);
    }

    private static Processor ffmpegFails(String stderr) {
        return exchange -> {
            throw new ExecException("ffmpeg failed", null,
                    new ByteArrayInputStream(stderr.getBytes(StandardCharsets.UTF_8)), 1);
        };
    }
}
