package dev.reelroute.media;

import java.nio.file.Path;

/**
 * The last FFmpeg run of a job, which writes the video a user gets: what video-compile needs to run it, follow
 * its progress, take the thumbnail and store both.
 */
public interface FinalRender {
    String ffmpeg();

    RenderSize size();

    double durationSeconds();

    Path outputVideo();

    Path outputThumbnail();

    Path progressFile();

    /** Where the job's progress stands when this run starts; the run moves it up to {@link #progressTo()}. */
    default int progressFrom() {
        return 10;
    }

    default int progressTo() {
        return 90;
    }
}
