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
}
