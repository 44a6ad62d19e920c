package dev.reelroute.imageaudio;

import static dev.reelroute.media.FfmpegCommands.AAC_OUTPUT;
import static dev.reelroute.media.FfmpegCommands.BT709_LIMITED_OUTPUT;
import static dev.reelroute.media.FfmpegCommands.H264_OUTPUT;
import static dev.reelroute.media.FfmpegCommands.MAX_DURATION_SECONDS;
import static dev.reelroute.media.FfmpegCommands.NO_INPUT_METADATA;
import static dev.reelroute.media.FfmpegCommands.decimal;
import static dev.reelroute.media.FfmpegCommands.frameCount;
import static dev.reelroute.media.FfmpegCommands.renderHead;
import static dev.reelroute.media.FfmpegCommands.requireDecodable;
import static dev.reelroute.media.FfmpegCommands.requireFps;
import static dev.reelroute.media.FfmpegCommands.requireNonNull;
import static dev.reelroute.media.FfmpegCommands.resolveFit;
import static dev.reelroute.media.FfmpegCommands.stillChain;

import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.RenderSize;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The FFmpeg command of an image + audio job: one still with a camera move, exactly as long as the audio. The fit
 * rule and the camera motion are {@link FfmpegCommands}' (measured there); nothing here runs a process.
 */
@Component
public class ImageAudioCommands {

    /**
     * One ffmpeg process that writes the MP4 (see {@link #thumbnail} for the JPEG). A null size, fit or motion means
     * {@link RenderSize#DEFAULT}, {@link FitMode#AUTO} and {@link CameraMotion#gentleDefault()}.
     */
    public List<String> imageWithAudio(ImageAudioRender render) {
        ImageAudioRender r = withDefaults(render);
        validate(r);
        FitMode fit = resolveFit(r.fit(), r.imageSize(), r.size());
        int totalFrames = frameCount(r.durationSeconds(), r.fps());

        List<String> command = new ArrayList<>(renderHead(r.ffmpeg(), r.progressFile()));
        command.addAll(List.of(
                // image2pipe: probes the codec from the bytes and never expands '%d' in the file name
                // the way the default image2 demuxer would.
                "-protocol_whitelist", "file", "-f", "image2pipe", "-i", r.image().toAbsolutePath().toString(),
                "-protocol_whitelist", "file", "-i", r.audio().toAbsolutePath().toString(),
                "-filter_complex", videoFilterGraph(r, fit, totalFrames),
                // Output 1: the video.
                "-map", "[video]", "-map", "1:a:0"));
        command.addAll(NO_INPUT_METADATA);
        command.addAll(H264_OUTPUT);
        command.addAll(BT709_LIMITED_OUTPUT);
        command.addAll(List.of("-r", Integer.toString(r.fps())));
        command.addAll(AAC_OUTPUT);
        command.addAll(List.of(
                "-t", decimal(r.durationSeconds()),
                "-movflags", "+faststart",
                "-f", "mp4", r.outputVideo().toAbsolutePath().toString()));
        return List.copyOf(command);
    }

    /** The render's thumbnail run, the first frame of its video: see {@link FfmpegCommands#thumbnail}. */
    public List<String> thumbnail(ImageAudioRender render) {
        return FfmpegCommands.thumbnail(render.ffmpeg(), render.outputVideo(), render.outputThumbnail());
    }

    private static String videoFilterGraph(ImageAudioRender r, FitMode fit, int totalFrames) {
        return stillChain(0, r.imageSize(), fit, r.size(), r.fps(), r.motion(), 0, totalFrames, totalFrames - 1)
                + "[video]";
    }

    private static ImageAudioRender withDefaults(ImageAudioRender r) {
        return new ImageAudioRender(r.ffmpeg(), r.image(), r.imageSize(), r.audio(), r.durationSeconds(),
                r.size() != null ? r.size() : RenderSize.DEFAULT, r.fps(),
                r.fit() != null ? r.fit() : FitMode.AUTO,
                r.motion() != null ? r.motion() : CameraMotion.gentleDefault(),
                r.outputVideo(), r.outputThumbnail(), r.progressFile());
    }

    private static void validate(ImageAudioRender r) {
        requireNonNull(r.ffmpeg(), "ffmpeg");
        requireNonNull(r.image(), "image");
        requireNonNull(r.imageSize(), "imageSize");
        requireNonNull(r.audio(), "audio");
        requireNonNull(r.size(), "size");
        requireNonNull(r.fit(), "fit");
        requireNonNull(r.motion(), "motion");
        requireNonNull(r.outputVideo(), "outputVideo");
        requireNonNull(r.outputThumbnail(), "outputThumbnail");
        requireNonNull(r.progressFile(), "progressFile");
        if (!(r.durationSeconds() > 0 && r.durationSeconds() <= MAX_DURATION_SECONDS)) { // also rejects NaN
            throw new IllegalArgumentException("duration must be within (0, " + MAX_DURATION_SECONDS + "] s: "
                    + r.durationSeconds());
        }
        requireFps(r.fps());
        requireDecodable(r.imageSize());
    }
}
