package dev.reelroute.job;

import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.RenderSize;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/**
 * The last FFmpeg run of a job, which writes the video a user gets, planned by its kind: an image + audio job's
 * render, a prompt job's one-pass render or the remux of what a provider made, a style transfer's grade. video-compile
 * runs it, follows its progress, takes the thumbnail and stores both. {@code arguments} exclude the executable;
 * {@code completedMessage} becomes the job's status message (it says who made the video), {@code costUsd} its cost;
 * the run moves the job's progress from {@code progressFrom} to {@code progressTo}. {@code thumbnailMade}: the
 * thumbnail is at {@code outputThumbnail} already (a project's first clip made it from its first frame), so
 * video-compile does not take it.
 */
public record PlannedRender(String ffmpeg, List<String> arguments, RenderSize size, double durationSeconds,
                            Path outputVideo, Path outputThumbnail, Path progressFile, String completedMessage,
                            BigDecimal costUsd, int progressFrom, int progressTo, boolean thumbnailMade) {
    public PlannedRender {
        arguments = List.copyOf(arguments);
    }

    /** A render whose thumbnail video-compile takes from the video. */
    public PlannedRender(String ffmpeg, List<String> arguments, RenderSize size, double durationSeconds,
                         Path outputVideo, Path outputThumbnail, Path progressFile, String completedMessage,
                         BigDecimal costUsd, int progressFrom, int progressTo) {
        this(ffmpeg, arguments, size, durationSeconds, outputVideo, outputThumbnail, progressFile, completedMessage,
                costUsd, progressFrom, progressTo, false);
    }

    /** A render over the usual span of the job's progress (10 to 90). */
    public PlannedRender(String ffmpeg, List<String> arguments, RenderSize size, double durationSeconds,
                         Path outputVideo, Path outputThumbnail, Path progressFile, String completedMessage,
                         BigDecimal costUsd) {
        this(ffmpeg, arguments, size, durationSeconds, outputVideo, outputThumbnail, progressFile, completedMessage,
                costUsd, 10, 90);
    }

    /** The thumbnail run's arguments (without the executable): the first frame of the rendered video. */
    public List<String> thumbnailArguments() {
        List<String> command = FfmpegCommands.thumbnail(ffmpeg, outputVideo, outputThumbnail);
        return command.subList(1, command.size());
    }
}
