package dev.reelroute.project;

import dev.reelroute.media.AmbientBed;

import java.nio.file.Path;
import java.util.List;

/**
 * Joins a project's segments into the final MP4 and lays the soundtrack under it; see {@link ProjectCommands#compile}.
 *
 * @param segments     the segment MP4s in timeline order (written into {@code concatList} by the caller, using
 *                     {@link ProjectCommands#concatListContent})
 * @param concatList   the concat demuxer list file
 * @param totalSeconds the project's length, {@link ProjectCommands#totalSeconds} (or the sum of
 *                     {@link ProjectCommands#segmentSeconds})
 * @param music        music file, looped to cover the whole project; null for none
 * @param musicVolume  linear gain of the music, 0..1 (0.5 is -6 dB)
 * @param ambient      synthesized background bed mixed under the music; null for none
 * @param soundtrack   the soundtrack made ahead of the compile from the same music and bed
 *                     ({@link ProjectCommands#soundtrack}), copied as it is; null to mix it in the compile
 */
public record CompileRender(String ffmpeg, List<Path> segments, Path concatList, double totalSeconds, Path music,
                            double musicVolume, AmbientBed ambient, Path soundtrack, Path output, Path progressFile) {
}
