package dev.reelroute.project;

import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.ImageHeaderReader;

import java.nio.file.Path;

/**
 * One clip of a project: a still image shown for {@code durationSeconds} with its own camera motion.
 *
 * @param image           the image file, for {@link ProjectCommands#canvases}; null where its canvas is made already
 *                        (a segment reads only the canvas)
 * @param imageSize       from {@link ImageHeaderReader}
 * @param durationSeconds the clip's own length, including the parts that overlap its neighbours in crossfades
 * @param motion          null means {@link CameraMotion#gentleDefault()}
 */
public record ClipSpec(Path image, ImageDimensions imageSize, double durationSeconds, CameraMotion motion) {
}
