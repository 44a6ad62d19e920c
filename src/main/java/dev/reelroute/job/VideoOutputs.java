package dev.reelroute.job;

import dev.reelroute.media.ImageAudioRender;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.ProbeResult;
import dev.reelroute.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/** The end of a render: check what FFmpeg wrote, store it, mark the job COMPLETED, clean the work dir. */
@Component("videoOutputs")
public class VideoOutputs {
    private final Storage storage;
    private final JobStore jobs;
    private final MediaProbe probe;

    public VideoOutputs(Storage storage, JobStore jobs, MediaProbe probe) {
        this.storage = storage;
        this.jobs = jobs;
        this.probe = probe;
    }

    public void storeAndComplete(String jobId, ImageAudioRender render) throws IOException {
        ProbeResult result = probe.probe(render.outputVideo());
        if (!result.hasVideo() || !result.hasAudio()) {
            throw new IOException("FFmpeg produced a video without its video or audio stream");
        }
        String videoKey = "jobs/" + jobId + "/output.mp4";
        String thumbnailKey = "jobs/" + jobId + "/thumbnail.jpg";
        storage.put(videoKey, render.outputVideo(), "video/mp4");
        storage.put(thumbnailKey, render.outputThumbnail(), "image/jpeg");
        jobs.appendLog(jobId, "INFO", String.format("Rendered %dx%d, %.2f s, %s + %s", result.width(), result.height(),
                result.durationSeconds(), result.videoCodec(), result.audioCodec()));
        jobs.complete(jobId, videoKey, thumbnailKey);
    }

    /** Removes the job's scratch directory (inputs in storage are kept). */
    public void cleanWorkDir(Path workDir) throws IOException {
        if (workDir == null || !Files.isDirectory(workDir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(workDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
