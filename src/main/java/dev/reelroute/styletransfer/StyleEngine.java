package dev.reelroute.styletransfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.config.WorkDirs;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.PlannedRender;
import dev.reelroute.job.StyleSpec;
import dev.reelroute.media.ExecCommand;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.ProbeResult;
import dev.reelroute.media.RenderSize;
import dev.reelroute.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * The steps of a style-transfer job the routes call: analyse the source (one FFmpeg pass measures colour, audio and
 * motion), analyse the template (the style to extract), then plan the grade that moves the source toward it.
 */
@Component("styleEngine")
public class StyleEngine {
    /** The job's progress span of each FFmpeg run: source analysis, template analysis, the grade. */
    public static final int SOURCE_FROM = 3;
    public static final int SOURCE_TO = 30;
    public static final int TEMPLATE_FROM = 35;
    public static final int TEMPLATE_TO = 60;
    public static final int RENDER_FROM = 65;
    public static final int RENDER_TO = 90;

    private final JobStore jobs;
    private final VideoStore videos;
    private final Storage storage;
    private final FfmpegBinaries binaries;
    private final MediaProbe probe;
    private final StyleAnalysisCommands analysis;
    private final StyleApplicationCommands application;
    private final ObjectMapper json;
    private final WorkDirs workDirs;

    public StyleEngine(JobStore jobs, VideoStore videos, Storage storage, FfmpegBinaries binaries, MediaProbe probe,
                       StyleAnalysisCommands analysis, StyleApplicationCommands application, ObjectMapper json,
                       WorkDirs workDirs) {
        this.jobs = jobs;
        this.videos = videos;
        this.storage = storage;
        this.binaries = binaries;
        this.probe = probe;
        this.analysis = analysis;
        this.application = application;
        this.json = json;
        this.workDirs = workDirs;
    }

    /** One analysis run: the command for camel-exec, what it reads, and how many seconds of video that is. */
    public record Analysis(StyleAnalysisRender render, ExecCommand command, double seconds) {}

    public boolean hasTemplate(String jobId) {
        return spec(jobId).templateVideoId() != null;
    }

    public Analysis analyzeSource(String jobId) throws IOException {
        return analyze(jobId, spec(jobId).sourceVideoId(), "source");
    }

    public Analysis analyzeTemplate(String jobId) throws IOException {
        return analyze(jobId, spec(jobId).templateVideoId(), "template");
    }

    private Analysis analyze(String jobId, String videoId, String role) throws IOException {
        UploadedVideo video = videos.find(videoId).orElseThrow(() -> new IOException("The " + role
                + " video is no longer stored"));
        Path dir = Files.createDirectories(workDirs.of(jobId).resolve(role));
        Path file = storage.localFile(video.storageKey(), dir);
        ProbeResult found = probe.probe(file);
        StyleAnalysisRender render = new StyleAnalysisRender(binaries.ffmpeg(), file, found, dir,
                dir.resolve("analysis-progress.txt"));
        return new Analysis(render, ExecCommand.of(analysis.analyze(render)), analysis.analysedSeconds(found));
    }

    /** The StyleJSON of a finished analysis run, with a line in the job's log saying what was measured. */
    public StyleJson measured(String jobId, Analysis run, String role) throws IOException {
        StyleJson style = analysis.read(run.render(), run.render().probe());
        StyleJson.Color color = style.color();
        jobs.appendLog(jobId, "INFO", String.format(Locale.ROOT,
                "%s colour: luma %.2f, contrast %.2f, saturation %.2f, temperature %+.2f", capitalized(role),
                color.meanLuma(), color.contrast(), color.saturation(), color.temperature()));
        jobs.appendLog(jobId, "INFO", style.audio() == null ? capitalized(role) + " audio: none"
                : String.format(Locale.ROOT, "%s audio: %.1f LUFS integrated, %.1f LU range, %.1f dBTP peak",
                capitalized(role), style.audio().integratedLufs(), style.audio().loudnessRangeLu(),
                style.audio().truePeakDbtp()));
        jobs.appendLog(jobId, "INFO", String.format(Locale.ROOT,
                "%s motion: %.3f mean, %.1f cuts per minute, %.1f s average shot", capitalized(role),
                style.motion().meanMotion(), style.motion().cutsPerMinute(), style.motion().averageShotSeconds()));
        return style;
    }

    /**
     * Keeps the style the job extracted (the template's, or the source's own without a template) and plans the grade
     * of the source toward it, as the final render of the job.
     */
    public PlannedRender plan(String jobId, Analysis source, StyleJson sourceStyle, StyleJson templateStyle)
            throws IOException {
        StyleSpec spec = spec(jobId);
        StyleJson extracted = templateStyle != null ? templateStyle : sourceStyle;
        jobs.recordStyleJson(jobId, json.writeValueAsString(extracted));
        StyleConfig config = config(spec);
        Path dir = workDirs.of(jobId);
        ProbeResult sourceProbe = source.render().probe();
        StyleApplicationRender render = new StyleApplicationRender(binaries.ffmpeg(), source.render().input(),
                sourceProbe, sourceStyle, templateStyle, config, dir.resolve("output.mp4"),
                dir.resolve("ffmpeg-progress.txt"));
        String message = templateStyle != null ? "Completed: graded toward the template's colour and loudness"
                : "Completed: the source's style measured and the config applied";
        return new PlannedRender(binaries.ffmpeg(), ExecCommand.of(application.apply(render)).arguments(),
                RenderSize.nearest(sourceProbe.width(), sourceProbe.height()), sourceProbe.durationSeconds(),
                render.output(), dir.resolve("thumbnail.jpg"), render.progressFile(), message, null, RENDER_FROM,
                RENDER_TO);
    }

    private StyleConfig config(StyleSpec spec) throws JsonProcessingException {
        return spec.configJson() == null ? StyleConfig.NONE : StyleConfig.parse(json.readTree(spec.configJson()));
    }

    private StyleSpec spec(String jobId) {
        return jobs.find(jobId).map(Job::style).orElseThrow(() -> new IllegalStateException("Not a style job"));
    }

    private static String capitalized(String role) {
        return Character.toUpperCase(role.charAt(0)) + role.substring(1);
    }
}
