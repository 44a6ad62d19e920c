package dev.reelroute.project;

import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.Fixtures;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.RenderSize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A middle segment's frames against the ones FFmpeg made before the camera moved in Java: both clips' still chains
 * with {@code perspective}, the next one faded in ({@code fade=t=in:alpha=1}) and drawn over with {@code overlay}.
 */
class SegmentFramesTest {
    private static final RenderSize SIZE = new RenderSize(320, 180);
    private static final int FPS = 25;

    @TempDir
    Path dir;

    @Test
    void framesEqualFfmpegsOwnGraphAndTheCrossfadeBlendsWithinOneLevel() throws IOException {
        Path first = Fixtures.image(dir.resolve("first.png"), 400, 250);
        Path second = Fixtures.ffmpeg(dir.resolve("second.png"), "-f", "lavfi", "-i", "testsrc2=s=300x300",
                "-vf", "hue=h=120", "-frames:v", "1");
        ClipSpec clip = new ClipSpec(first, new ImageDimensions(400, 250), 1.5,
                new CameraMotion(CameraMotion.Kind.PAN_RIGHT, 0.2));
        ClipSpec next = new ClipSpec(second, new ImageDimensions(300, 300), 1.2,
                new CameraMotion(CameraMotion.Kind.ZOOM_IN, 0.3));
        SegmentRender render = new SegmentRender(Fixtures.FFMPEG, clip, next, false, 0.4, SIZE, FPS, 1,
                dir.resolve("segment.mp4"), dir.resolve("segment.progress"));
        ProjectCommands commands = new ProjectCommands();
        ProjectCommands.Frames frames = ProjectCommands.Frames.of(render);
        assertThat(frames.outgoing()).isEqualTo(10);

        Path[] canvases = SegmentRenders.canvases(commands, render);
        byte[] ours;
        try (InputStream stream = commands.segmentFrames(render, canvases[0], canvases[1])) {
            ours = stream.readAllBytes();
        }
        byte[] ffmpegs = Files.readAllBytes(Fixtures.ffmpeg(dir.resolve("reference.yuv"),
                "-framerate", "25", "-f", "image2pipe", "-i", first.toString(),
                "-framerate", "25", "-f", "image2pipe", "-i", second.toString(),
                "-filter_complex", referenceGraph(clip, next, frames), "-map", "[video]",
                "-frames:v", Integer.toString(frames.segment()), "-f", "rawvideo", "-pix_fmt", "yuv420p"));

        int frameBytes = SIZE.width() * SIZE.height() * 3 / 2;
        assertThat(ours).hasSize(frames.segment() * frameBytes).hasSameSizeAs(ffmpegs);
        int mainBytes = frames.main() * frameBytes;
        assertThat(Arrays.mismatch(ours, 0, mainBytes, ffmpegs, 0, mainBytes)).as("first byte that differs before the crossfade")
                .isEqualTo(-1);
        int largest = 0;
        int differing = 0;
        for (int i = mainBytes; i < ours.length; i++) {
            int difference = Math.abs((ours[i] & 0xFF) - (ffmpegs[i] & 0xFF));
            largest = Math.max(largest, difference);
            differing += difference > 0 ? 1 : 0;
        }
        assertThat(largest).as("largest difference in the crossfade").isLessThanOrEqualTo(1);
        assertThat(differing).as("crossfade samples one level off").isLessThan((ours.length - mainBytes) / 100);
        // the crossfade's middle frame is neither clip alone
        int middle = (frames.main() + frames.outgoing() / 2) * frameBytes;
        try (InputStream clipAlone = commands.segmentFrames(new SegmentRender(Fixtures.FFMPEG, clip, null, false, 0.4,
                SIZE, FPS, 1, render.output(), render.progressFile()), canvases[0], null)) {
            byte[] withoutFade = clipAlone.readAllBytes();
            assertThat(Arrays.copyOfRange(ours, middle, middle + frameBytes))
                    .isNotEqualTo(Arrays.copyOfRange(withoutFade, middle, middle + frameBytes));
        }
    }

    /** The segment graph FFmpeg ran before, as it was: both clips with perspective, the next faded in by overlay. */
    private static String referenceGraph(ClipSpec clip, ClipSpec next, ProjectCommands.Frames frames) {
        String outgoing = FfmpegCommands.stillChain(0, clip.imageSize(), FitMode.AUTO, SIZE, FPS, clip.motion(),
                frames.start(), frames.segment(), frames.clip());
        String incoming = FfmpegCommands.stillChain(1, next.imageSize(), FitMode.AUTO, SIZE, FPS, next.motion(), 0,
                frames.outgoing(), ProjectCommands.frames(next.durationSeconds(), FPS));
        return outgoing + "[a];" + incoming + ",format=yuva420p,fade=t=in:s=0:n=" + frames.outgoing()
                + ":alpha=1,setpts=PTS+" + frames.main() + "/" + FPS + "/TB[b];[a][b]overlay=format=yuv420:eof_action=pass"
                + "[video]";
    }
}
