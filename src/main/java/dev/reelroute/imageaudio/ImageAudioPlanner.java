package dev.reelroute.imageaudio;

import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.config.WorkDirs;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.PlannedRender;
import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.ImageHeaderReader;
import dev.reelroute.media.MediaSniffer;
import dev.reelroute.media.RenderSize;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * Plans an image + audio job: the still animated with FFmpeg camera motion, on this machine, with no model. The clip
 * is the whole video, so the plan is the one render video-compile runs (which then takes the thumbnail in a second,
 * one-frame run).
 */
@Component("imageAudioPlanner")
public class ImageAudioPlanner {
    private final JobStore jobs;
    private final FfmpegBinaries binaries;
    private final ImageAudioCommands commands;
    private final MediaSniffer sniffer;
    private final ImageHeaderReader imageHeaders;
    private final ReelrouteProperties properties;
    private final WorkDirs workDirs;

    public ImageAudioPlanner(JobStore jobs, FfmpegBinaries binaries, ImageAudioCommands commands,
                             MediaSniffer sniffer, ImageHeaderReader imageHeaders, ReelrouteProperties properties,
                             WorkDirs workDirs) {
        this.jobs = jobs;
        this.binaries = binaries;
        this.commands = commands;
        this.sniffer = sniffer;
        this.imageHeaders = imageHeaders;
        this.properties = properties;
        this.workDirs = workDirs;
    }

    /** The job to plan, with the keys of its stored inputs, which the route fetches. */
    public Job job(String jobId) {
        return jobs.find(jobId).orElseThrow();
    }

    /** The job's scratch directory: where inputs that storage does not hold as local files are fetched to. */
    public Path workDir(String jobId) throws IOException {
        return workDirs.create(jobId);
    }

    /**
     * The render of an image + audio job from its fetched inputs: the still, a gentle camera move, exactly as long
     * as the audio; its outputs go to the job's scratch directory.
     */
    public PlannedRender plan(Job job, Path workDir, Path image, Path audio) throws IOException {
        String jobId = job.id();
        var kind = sniffer.sniff(image).orElseThrow(() -> new IOException("Stored image is no longer readable"));
        var render = properties.render();
        jobs.appendLog(jobId, "INFO", "No motion prompt for an image + audio job: using a gentle zoom in");
        ImageAudioRender planned = new ImageAudioRender(
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
        List<String> command = commands.imageWithAudio(planned);
        return new PlannedRender(planned.ffmpeg(), command.subList(1, command.size()), planned.size(),
                planned.durationSeconds(), planned.outputVideo(), planned.outputThumbnail(), planned.progressFile(),
                "Completed", null);
    }
}
