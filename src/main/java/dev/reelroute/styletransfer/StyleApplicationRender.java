package dev.reelroute.styletransfer;

import dev.reelroute.media.FfmpegProgress;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.ProbeResult;
import java.nio.file.Path;

/**
 * One style application; see {@link StyleApplicationCommands}.
 *
 * @param sourceProbe   what {@link MediaProbe} found in {@code source}
 * @param sourceStyle   the source's StyleJSON ({@link StyleAnalysisCommands})
 * @param templateStyle the template's StyleJSON; null without a template
 * @param config        the job's config; null is {@link StyleConfig#NONE}
 * @param progressFile  ffmpeg's {@code -progress} output, see {@link FfmpegProgress}
 */
public record StyleApplicationRender(String ffmpeg, Path source, ProbeResult sourceProbe, StyleJson sourceStyle,
                                     StyleJson templateStyle, StyleConfig config, Path output, Path progressFile) {
}
