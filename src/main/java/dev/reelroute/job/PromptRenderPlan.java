package dev.reelroute.job;

import dev.reelroute.media.FinalRender;
import dev.reelroute.media.RenderSize;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;

/**
 * The final FFmpeg run of a prompt job: the local engine's one-pass render, or the remux/transcode of what a
 * provider made. {@code arguments} exclude the executable; {@code completedMessage} becomes the job's status
 * message (it says who made the video) and {@code costUsd} its cost.
 */
public record PromptRenderPlan(String ffmpeg, List<String> arguments, RenderSize size, double durationSeconds,
                               Path outputVideo, Path outputThumbnail, Path progressFile, String completedMessage,
                               BigDecimal costUsd) implements FinalRender {
    public PromptRenderPlan {
        arguments = List.copyOf(arguments);
    }
}
