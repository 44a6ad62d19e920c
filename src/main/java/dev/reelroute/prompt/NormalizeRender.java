package dev.reelroute.prompt;

import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.ProbeResult;

import java.nio.file.Path;

/**
 * A video downloaded from a remote provider, to be made into the MP4 we serve; see
 * {@link PromptVideoCommands#normalize}.
 *
 * @param probe              what {@link MediaProbe} found in {@code input}
 * @param maxDurationSeconds the output is cut here
 */
public record NormalizeRender(String ffmpeg, Path input, ProbeResult probe, double maxDurationSeconds, Path output,
                              Path progressFile) {
}
