package dev.reelroute.prompt;

import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.config.WorkDirs;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.PlannedRender;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.media.AmbientBed;
import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.ExecCommand;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.ImageHeaderReader;
import dev.reelroute.media.InvalidMediaException;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.MediaSniffer;
import dev.reelroute.media.MotionPromptParser;
import dev.reelroute.media.ParsedMotion;
import dev.reelroute.media.ProbeResult;
import dev.reelroute.media.RenderSize;
import dev.reelroute.storage.Storage;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Plans a prompt job's video. The local engine: a still (the initial image, the reference images, or a title card
 * made from the prompt) animated with the camera move the prompt describes, morphing into the end frame when one
 * was given, with an ambient bed or a spoken voiceover; all rendered in one FFmpeg pass by video-compile. A
 * provider's video is remuxed (or transcoded) into the MP4 we serve.
 */
@Component("promptEngine")
public class PromptEngine {
    private final JobStore jobs;
    private final Storage storage;
    private final FfmpegBinaries binaries;
    private final PromptVideoCommands commands;
    private final VoiceoverCommands voiceover;
    private final MediaSniffer sniffer;
    private final ImageHeaderReader imageHeaders;
    private final MediaProbe probe;
    private final MotionPromptParser motionParser;
    private final WorkDirs workDirs;
    private final ReelrouteProperties properties;

    public PromptEngine(JobStore jobs, Storage storage, FfmpegBinaries binaries, PromptVideoCommands commands,
                        VoiceoverCommands voiceover, MediaSniffer sniffer, ImageHeaderReader imageHeaders,
                        MediaProbe probe, MotionPromptParser motionParser, WorkDirs workDirs,
                        ReelrouteProperties properties) {
        this.jobs = jobs;
        this.storage = storage;
        this.binaries = binaries;
        this.commands = commands;
        this.voiceover = voiceover;
        this.sniffer = sniffer;
        this.imageHeaders = imageHeaders;
        this.probe = probe;
        this.motionParser = motionParser;
        this.workDirs = workDirs;
        this.properties = properties;
    }

    /**
     * What the local engine will do for a job: the stills and, when needed, the title card and voiceover runs
     * the route makes before the render ({@code null} when not needed).
     */
    public record Preparation(String jobId, Path workDir, RenderSize size, PromptVideoRender.Mode mode,
                              List<PromptVideoRender.Still> stills, boolean ambient, ExecCommand titleCard,
                              ExecCommand voiceover, Path voiceoverWav) {}

    /** True when the local engine makes the job's video (mock mode, and /api/generate by default). */
    public boolean isLocal(String jobId) {
        return jobs.find(jobId).map(job -> job.provider() == null || "local".equals(job.provider())).orElse(true);
    }

    public Preparation prepare(String jobId) throws IOException {
        Job job = jobs.find(jobId).orElseThrow();
        PromptSpec spec = job.prompt();
        Path workDir = workDirs.create(jobId);
        RenderSize size = size(spec);
        CameraMotion motion = motion(jobId, spec.prompt());

        List<PromptVideoRender.Still> stills = new ArrayList<>();
        PromptVideoRender.Mode mode = PromptVideoRender.Mode.SINGLE;
        ExecCommand titleCard = null;
        if (spec.initialImageKey() != null) {
            stills.add(still(spec.initialImageKey(), workDir, motion));
            if (spec.endFrameKey() != null) {
                stills.add(still(spec.endFrameKey(), workDir, motion));
                mode = PromptVideoRender.Mode.MORPH;
                jobs.appendLog(jobId, "INFO", "Animating the initial image into the end frame");
            }
        } else if (!spec.referenceImageKeys().isEmpty()) {
            for (String key : spec.referenceImageKeys()) {
                stills.add(still(key, workDir, motion));
            }
            if (stills.size() > 1) {
                mode = PromptVideoRender.Mode.SEQUENCE;
                jobs.appendLog(jobId, "INFO", "A sequence of the " + stills.size() + " reference images");
            }
        } else {
            Path card = workDir.resolve("title-card.png");
            TitleCard planned = commands.titleCard(new TitleCardRender(binaries.ffmpeg(), spec.prompt(), size,
                    workDir, card));
            if (!planned.hasText()) {
                jobs.appendLog(jobId, "WARN", "The title card has no text: " + planned.textOmittedBecause());
            }
            titleCard = ExecCommand.of(planned.command());
            stills.add(new PromptVideoRender.Still(card, new dev.reelroute.media.ImageDimensions(size.width(),
                    size.height()), motion));
        }

        ExecCommand speak = null;
        Path wav = null;
        if (spec.script() != null) {
            if (!voiceover.available()) {
                throw new InvalidMediaException("the voiceover needs espeak-ng, which is not installed on this "
                        + "server");
            }
            Path scriptFile = workDir.resolve("voiceover.txt");
            VoiceoverCommands.writeScript(spec.script(), scriptFile);
            wav = workDir.resolve("voiceover.wav");
            speak = ExecCommand.of(voiceover.speak(scriptFile, wav));
        }
        return new Preparation(jobId, workDir, size, mode, stills, spec.generateAudio(), titleCard, speak, wav);
    }

    /** The one-pass render, once the title card and voiceover (if any) exist. */
    public PlannedRender plan(Preparation p) throws IOException {
        Job job = jobs.find(p.jobId()).orElseThrow();
        PromptSpec spec = job.prompt();
        double seconds = spec.durationSeconds();
        if (p.voiceoverWav() != null) {
            ProbeResult speech = probe.probe(p.voiceoverWav());
            seconds = Math.min(properties.generate().maxSeconds(),
                    PromptVideoCommands.durationCovering(speech.durationSeconds() + 0.5));
            jobs.appendLog(p.jobId(), "INFO", String.format(Locale.ROOT, "Voiceover: %.1f s of speech",
                    speech.durationSeconds()));
        }
        AmbientBed ambient = p.ambient() && p.voiceoverWav() == null
                ? AmbientBed.pick(spec.prompt() == null ? List.of() : List.of(spec.prompt())) : null;
        Path output = p.workDir().resolve("output.mp4");
        Path progressFile = p.workDir().resolve("ffmpeg-progress.txt");
        var render = properties.render();
        List<String> command = commands.render(new PromptVideoRender(binaries.ffmpeg(), p.mode(), p.stills(), seconds,
                p.size(), render.fps(), FitMode.valueOf(render.fit().toUpperCase(Locale.ROOT)), ambient,
                p.voiceoverWav(), 0, output, progressFile));
        BigDecimal cost = properties.projects().localCostPerSecond()
                .multiply(BigDecimal.valueOf(seconds)).setScale(4, RoundingMode.HALF_UP);
        return new PlannedRender(binaries.ffmpeg(), ExecCommand.of(command).arguments(), p.size(), seconds, output,
                p.workDir().resolve("thumbnail.jpg"), progressFile, madeLocally(job), cost);
    }

    private static String madeLocally(Job job) {
        if (Job.KIND_VIDEO_JOB.equals(job.kind())) {
            return "Video generation completed successfully! Made locally by reelroute's engine (mock mode): "
                    + job.prompt().model() + " was not called";
        }
        return "Completed: made locally by reelroute's engine";
    }

    /** The provider's video, checked and remuxed (or transcoded) into the MP4 we serve. */
    public PlannedRender planRemote(String jobId, Path downloaded) throws IOException {
        Job job = jobs.find(jobId).orElseThrow();
        ProbeResult found = probe.probe(downloaded);
        if (!found.hasVideo() || !(found.durationSeconds() > 0)) {
            throw new InvalidMediaException("the provider's output is not a playable video");
        }
        Path workDir = workDirs.create(jobId);
        Path output = workDir.resolve("output.mp4");
        Path progressFile = workDir.resolve("ffmpeg-progress.txt");
        double seconds = Math.min(found.durationSeconds(), PromptVideoCommands.MAX_SECONDS);
        List<String> command = commands.normalize(new NormalizeRender(binaries.ffmpeg(), downloaded, found, seconds,
                output, progressFile));
        jobs.appendLog(jobId, "INFO", String.format(Locale.ROOT, "%s delivered %dx%d, %.1f s",
                job.provider(), found.width(), found.height(), found.durationSeconds()));
        return new PlannedRender(binaries.ffmpeg(), ExecCommand.of(command).arguments(),
                RenderSize.nearest(found.width(), found.height()), seconds, output,
                workDir.resolve("thumbnail.jpg"), progressFile,
                "Video generation completed successfully! Made by " + job.prompt().model() + " on " + job.provider(),
                null);
    }

    private PromptVideoRender.Still still(String key, Path workDir, CameraMotion motion) throws IOException {
        Path image = storage.localFile(key, workDir);
        var kind = sniffer.sniff(image).orElseThrow(() -> new IOException("Stored image is no longer readable"));
        return new PromptVideoRender.Still(image, imageHeaders.read(image, kind), motion);
    }

    private CameraMotion motion(String jobId, String prompt) {
        if (prompt == null) {
            return CameraMotion.gentleDefault();
        }
        String head = prompt.length() > MotionPromptParser.MAX_PROMPT_CHARS
                ? prompt.substring(0, MotionPromptParser.MAX_PROMPT_CHARS) : prompt;
        ParsedMotion parsed = motionParser.parse(head);
        jobs.appendLog(jobId, "INFO", parsed.recognized() ? "Camera: " + parsed.description()
                : "No camera move named in the prompt: a gentle zoom in");
        return parsed.recognized() ? parsed.motion() : CameraMotion.gentleDefault();
    }

    /** 720p/1080p in 16:9 or 9:16; a job without a resolution gets the configured render size. */
    RenderSize size(PromptSpec spec) {
        if (spec.resolution() == null || spec.aspectRatio() == null) {
            return new RenderSize(properties.render().width(), properties.render().height());
        }
        int shortSide = "1080p".equals(spec.resolution()) ? 1080 : 720;
        int longSide = shortSide * 16 / 9;
        return "9:16".equals(spec.aspectRatio()) ? new RenderSize(shortSide, longSide)
                : new RenderSize(longSide, shortSide);
    }
}
