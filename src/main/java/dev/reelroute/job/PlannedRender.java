package dev.reelroute.job;

import dev.reelroute.media.FinalRender;
import dev.reelroute.media.RenderSize;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/**
 * The final FFmpeg run of a job planned by a bean: a prompt job's one-pass render or the remux of what a provider
 * made, a style transfer's grade. {@code arguments} exclude the executable; {@code completedMessage} becomes the
 * job's status message (it says who made the video), {@code costUsd} its cost; the run moves the job's progress
 * from {@code progressFrom} to {@code progressTo}.
 */
public record PlannedRender(String ffmpeg, List<String> arguments, RenderSize size, double durationSeconds,
                            Path outputVideo, Path outputThumbnail, Path progressFile, String completedMessage,
                            BigDecimal costUsd, int progressFrom, int progressTo) implements FinalRender {
    public PlannedRender {
        arguments = List.copyOf(arguments);
    }

    /** A render over the usual span of the job's progress (10 to 90). */
    public PlannedRender(String ffmpeg, List<String> arguments, RenderSize size, double durationSeconds,
                         Path outputVideo, Path outputThumbnail, Path progressFile, String completedMessage,
                         BigDecimal costUsd) {
        this(ffmpeg, arguments, size, durationSeconds, outputVideo, outputThumbnail, progressFile, completedMessage,
                costUsd, 10, 90);
    }
}
