package dev.reelroute.project;

import dev.reelroute.media.AmbientBed;

import java.nio.file.Path;

/**
 * A run's soundtrack, made apart from its video; see {@link ProjectCommands#soundtrack}.
 *
 * @param totalSeconds the project's length, {@link ProjectCommands#totalSeconds}
 * @param music        music file, looped to cover the whole project; null for none
 * @param musicVolume  linear gain of the music, 0..1 (0.5 is -6 dB)
 * @param ambient      synthesized background bed mixed under the music; null for none
 * @param output       the MP4 (AAC) written
 */
public record SoundtrackRender(String ffmpeg, double totalSeconds, Path music, double musicVolume, AmbientBed ambient,
                               Path output) {
}
