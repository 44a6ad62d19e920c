package dev.reelroute.imageaudio;

import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.FfmpegProgress;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.ImageHeaderReader;
import dev.reelroute.media.RenderSize;
import java.nio.file.Path;

/**
 * Everything needed to turn one still image plus one audio track into a video and its thumbnail.
 *
 * @param ffmpeg          ffmpeg executable, usually {@link FfmpegBinaries#ffmpeg()}
 * @param imageSize       from {@link ImageHeaderReader}; used to decide the fit without decoding the image
 * @param durationSeconds length of the video, normally the audio's probed duration
 * @param progressFile    where ffmpeg writes its {@code -progress} blocks, see {@link FfmpegProgress}
 */
public record ImageAudioRender(String ffmpeg, Path image, ImageDimensions imageSize, Path audio,
                               double durationSeconds, RenderSize size, int fps, FitMode fit,
                               CameraMotion motion, Path outputVideo, Path outputThumbnail, Path progressFile) {
}
