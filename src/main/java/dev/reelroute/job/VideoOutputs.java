package dev.reelroute.job;

import dev.reelroute.config.Texts;
import dev.reelroute.config.WorkDirs;
import dev.reelroute.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The end of a render (store-job-outputs): check what FFmpeg wrote, what completes the job once stored, clean up. */
@Component("videoOutputs")
public class VideoOutputs {
    private static final Logger log = LoggerFactory.getLogger(VideoOutputs.class);

    private final Storage storage;
    private final JobStore jobs;
    private final WorkDirs workDirs;

    public VideoOutputs(Storage storage, JobStore jobs, WorkDirs workDirs) {
        this.storage = storage;
        this.jobs = jobs;
        this.workDirs = workDirs;
    }

    /**
     * FFmpeg exited 0 with the audio stream mapped as required and the thumbnail run decoded the video's first
     * frame, so the output is known good without probing it again; only its presence is checked. Returns the
     * seconds FFmpeg took.
     */
    public double checkRendered(PlannedRender render, Long ffmpegStartedNanos) throws IOException {
        if (!Files.isRegularFile(render.outputVideo()) || !Files.isRegularFile(render.outputThumbnail())) {
            throw new IOException("FFmpeg finished without writing the video or the thumbnail");
        }
        return ffmpegStartedNanos == null ? 0 : (System.nanoTime() - ffmpegStartedNanos) / 1e9;
    }

    public String videoKey(String jobId) {
        return "jobs/" + jobId + "/output.mp4";
    }

    public String thumbnailKey(String jobId) {
        return "jobs/" + jobId + "/thumbnail.jpg";
    }

    /** The job's log line about the render, before it is completed. */
    public void logRendered(String jobId, PlannedRender render, double renderSeconds) {
        double realtime = renderSeconds > 0 ? render.durationSeconds() / renderSeconds : 0;
        String rendered = String.format(Locale.ROOT, "Rendered %dx%d, %.2f s of video in %.2f s (%.1fx realtime)",
                render.size().width(), render.size().height(), render.durationSeconds(), renderSeconds,
                realtime);
        jobs.appendLog(jobId, "INFO", rendered);
        log.info("Job {}: {}", jobId, rendered);
    }

    /** What the completion (store-job-outputs' complete-job step) writes on the job, with the video and thumbnail stored. */
    public JobStore.Completion completion(String jobId, PlannedRender render) {
        return new JobStore.Completion(videoKey(jobId), thumbnailKey(jobId),
                Math.round(render.durationSeconds() * 1000), render.costUsd(),
                Texts.bounded(render.completedMessage(), JobSteps.MAX_MESSAGE_LENGTH));
    }

    /**
     * The completion found the job no longer PROCESSING: completed by a worker that took it over (its video, under the
     * same keys, stays), or cancelled or deleted while rendering (what was just stored belongs to no one).
     */
    public void completionRefused(String jobId) throws IOException {
        if (jobs.find(jobId).map(job -> job.status() == JobStatus.COMPLETED).orElse(false)) {
            log.info("Job {} was completed by the worker that took it over; this render is dropped", jobId);
            return;
        }
        storage.delete(videoKey(jobId));
        storage.delete(thumbnailKey(jobId));
        log.info("Job {} was cancelled or deleted while rendering; its output was discarded", jobId);
    }

    /** Removes the job's (or project run's) scratch directory (inputs in storage are kept). */
    public void cleanWorkDir(String jobId) throws IOException {
        if (WorkDirs.isWorkId(jobId)) {
            workDirs.delete(jobId);
        }
    }
}
