package dev.reelroute.provider;

import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.config.WorkDirs;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.FinalRender;
import dev.reelroute.job.PlannedRender;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.ImageAudioRender;
import dev.reelroute.media.ImageHeaderReader;
import dev.reelroute.media.MediaSniffer;
import dev.reelroute.media.RenderSize;
import dev.reelroute.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * The local engine: animates a still with FFmpeg camera motion, on this machine, with no model. For an image +
 * audio job the clip is the whole video, so planning it yields one FFmpeg command that renders video and
 * thumbnail in a single pass (the compile stage runs it).
 */
@Component("localEngine")
public class LocalEngine {
    private final JobStore jobs;
    private final Storage storage;
    private final FfmpegBinaries binaries;
    private final FfmpegCommands commands;
    private final MediaSniffer sniffer;
    private final ImageHeaderReader imageHeaders;
    private final ReelrouteProperties properties;
    private final WorkDirs workDirs;

    public LocalEngine(JobStore jobs, Storage storage, FfmpegBinaries binaries, FfmpegCommands commands,
                       MediaSniffer sniffer, ImageHeaderReader imageHeaders, ReelrouteProperties properties,
                       WorkDirs workDirs) {
        this.jobs = jobs;
        this.storage = storage;
        this.binaries = binaries;
        this.commands = commands;
        this.sniffer = sniffer;
        this.imageHeaders = imageHeaders;
        this.properties = properties;
        this.workDirs = workDirs;
    }

    public Path workDir(String jobId) throws IOException {
        return workDirs.create(jobId);
    }

    /** The render of an image + audio job: the still, a gentle camera move, exactly as long as the audio. */
    public ImageAudioRender planImageAudio(String jobId) throws IOException {
        Job job = jobs.find(jobId).orElseThrow();
        Path workDir = workDir(jobId);
        Path image = storage.localFile(job.inputImageKey(), workDir);
        Path audio = storage.localFile(job.inputAudioKey(), workDir);
        var kind = sniffer.sniff(image).orElseThrow(() -> new IOException("Stored image is no longer readable"));
        var render = properties.render();
        jobs.appendLog(jobId, "INFO", "No motion prompt for an image + audio job: using a gentle zoom in");
        return new ImageAudioRender(
                binaries.ffmpeg(),
                image,
                imageHeaders.read(image, kind),
                audio,
                job.durationMs() / 1000.0,
                new RenderSize(render.width(), render.height()),
                render.fps(),
                FitMode.valueOf(render.fit().toUpperCase(Locale.ROOT)),
                CameraMotion.gentleDefault(),
                workDir.resolve("output.mp4"),
                workDir.resolve("thumbnail.jpg"),
                workDir.resolve("ffmpeg-progress.txt"));
    }

    /** The render's FFmpeg arguments (without the executable) for camel-exec. */
    public List<String> arguments(FinalRender render) {
        if (render instanceof PlannedRender prompt) {
            return prompt.arguments();
        }
        return withoutExecutable(commands.imageWithAudio((ImageAudioRender) render));
    }

    /** The thumbnail's FFmpeg arguments (without the executable): the first frame of the rendered video. */
    public List<String> thumbnailArguments(FinalRender render) {
        return withoutExecutable(commands.thumbnail(render.ffmpeg(), render.outputVideo(), render.outputThumbnail()));
    }

    private static List<String> withoutExecutable(List<String> command) {
        return List.copyOf(command.subList(1, command.size()));
    }
}
