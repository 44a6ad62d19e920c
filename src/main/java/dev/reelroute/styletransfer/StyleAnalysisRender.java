package dev.reelroute.styletransfer;

import dev.reelroute.media.FfmpegProgress;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.ProbeResult;
import java.nio.file.Path;

/**
 * One style analysis; see {@link StyleAnalysisCommands}.
 *
 * @param probe        what {@link MediaProbe} found in {@code input}
 * @param workDir      where the run writes its measurements (fixed file names; one analysis per directory)
 * @param progressFile ffmpeg's {@code -progress} output, see {@link FfmpegProgress}
 */
public record StyleAnalysisRender(String ffmpeg, Path input, ProbeResult probe, Path workDir, Path progressFile) {
}
