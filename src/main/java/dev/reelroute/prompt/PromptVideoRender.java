package dev.reelroute.prompt;

import dev.reelroute.media.AmbientBed;
import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.FfmpegProgress;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.ImageHeaderReader;
import dev.reelroute.media.RenderSize;

import java.nio.file.Path;
import java.util.List;

/**
 * A prompt job's video made by the local engine in one ffmpeg pass; see {@link PromptVideoCommands#render}.
 *
 * @param mode            how the stills share the timeline
 * @param stills          1 for SINGLE, 2 for MORPH (initial image, end frame), 2..4 for SEQUENCE, in order
 * @param durationSeconds the video's length, {@value PromptVideoCommands#MIN_SECONDS} to
 *                        {@value PromptVideoCommands#MAX_SECONDS} s (rounded to whole frames)
 * @param size            null means {@link RenderSize#DEFAULT}
 * @param fit             null means {@link FitMode#AUTO}
 * @param ambient         synthesized background bed, or null
 * @param voiceover       speech (any format ffmpeg reads) at full volume, padded with silence or cut to the
 *                        duration; or null
 * @param threads         {@code -threads} and filter threads; 0 lets ffmpeg decide
 * @param progressFile    where ffmpeg writes its {@code -progress} blocks, see {@link FfmpegProgress}
 */
public record PromptVideoRender(String ffmpeg, Mode mode, List<Still> stills, double durationSeconds, RenderSize size,
                                int fps, FitMode fit, AmbientBed ambient, Path voiceover, int threads, Path output,
                                Path progressFile) {

    public enum Mode {
        /** One still animated for the whole duration. */
        SINGLE,
        /** The initial image, a long crossfade into the end frame, the end frame. */
        MORPH,
        /** Reference images in turn, equal shares, short crossfades between them. */
        SEQUENCE
    }

    /**
     * One still image with its own camera motion, which runs over the time the still is on screen.
     *
     * @param imageSize from {@link ImageHeaderReader}
     * @param motion    null means {@link CameraMotion#gentleDefault()}
     */
    public record Still(Path image, ImageDimensions imageSize, CameraMotion motion) {
    }
}
