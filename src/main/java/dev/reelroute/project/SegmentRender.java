package dev.reelroute.project;

import dev.reelroute.media.FfmpegProgress;
import dev.reelroute.media.RenderSize;

import java.nio.file.Path;

/**
 * One segment of a project: clip {@code clip}'s part of the timeline plus its outgoing crossfade into
 * {@code next}; see {@link ProjectCommands} for the layout.
 *
 * @param next              the following clip, or null for the last one
 * @param firstClip         true for the first clip (it has no incoming transition to skip)
 * @param transitionSeconds crossfade length, the same for every segment of a project; 0 = hard cuts
 * @param size              null means {@link RenderSize#DEFAULT}
 * @param threads           {@code -threads} of this ffmpeg process; 0 lets ffmpeg decide
 * @param output            the segment MP4 (video only)
 * @param progressFile      where ffmpeg writes its {@code -progress} blocks, see {@link FfmpegProgress}
 */
public record SegmentRender(String ffmpeg, ClipSpec clip, ClipSpec next, boolean firstClip, double transitionSeconds,
                            RenderSize size, int fps, int threads, Path output, Path progressFile) {
}
