package dev.reelroute.project;

import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.CameraWarp;
import dev.reelroute.media.FrameStream;
import dev.reelroute.media.RenderSize;

/**
 * A segment's frames, raw yuv420p, made one at a time as the encoder reads them (see {@link ProjectCommands} for the
 * layout): the clip's camera motion over its canvas, and in the outgoing crossfade the next clip's motion over its
 * canvas drawn over it, frame i of an n-frame crossfade weighing i/n, with the blend and rounding of FFmpeg's
 * {@code fade=t=in:alpha=1} and {@code overlay}, which made these frames before. Four frames of memory, whatever
 * the segment's length.
 */
public final class SegmentFrames extends FrameStream {
    private final ProjectCommands.Frames frames;
    private final byte[] canvas;
    private final CameraMotion motion;
    private final byte[] nextCanvas;
    private final CameraMotion nextMotion;
    private final int nextClipFrames;
    private final CameraWarp warp;
    private final byte[] incoming;
    private final int lumaBytes;

    SegmentFrames(RenderSize size, ProjectCommands.Frames frames, byte[] canvas, CameraMotion motion,
                  byte[] nextCanvas, CameraMotion nextMotion, int nextClipFrames) {
        super(frames.segment(), CameraWarp.frameBytes(size));
        this.frames = frames;
        this.canvas = canvas;
        this.motion = motion;
        this.nextCanvas = nextCanvas;
        this.nextMotion = nextMotion;
        this.nextClipFrames = nextClipFrames;
        this.warp = new CameraWarp(size);
        int frameBytes = CameraWarp.frameBytes(size);
        this.incoming = frames.outgoing() > 0 ? new byte[frameBytes] : null;
        this.lumaBytes = size.width() * size.height();
        if (canvas.length != frameBytes
                || (incoming != null && (nextCanvas == null || nextCanvas.length != frameBytes))) {
            throw new IllegalArgumentException("a canvas is not one " + size.width() + "x" + size.height()
                    + " yuv420p frame");
        }
    }

    @Override
    protected void make(int n, byte[] frame) {
        warp.frame(canvas, motion, frames.start() + n, frames.clip(), frame);
        int crossfadeFrame = n - frames.main();
        if (crossfadeFrame >= 0) {
            warp.frame(nextCanvas, nextMotion, crossfadeFrame, nextClipFrames, incoming);
            blend(frame, alpha(crossfadeFrame, frames.outgoing()));
        }
    }

    /** fade=t=in:alpha=1 over n frames: frame i's alpha, from its 16-bit factor i * (65536 / n). */
    static int alpha(int i, int n) {
        int factor = Math.min(i * ((1 << 16) / n), 0xFFFF);
        return (255 * factor + (1 << 15)) >> 16;
    }

    /** overlay's blend of the incoming frame over this one at a uniform alpha: luma directly, chroma about 128. */
    private void blend(byte[] frame, int alpha) {
        int keep = 255 - alpha;
        for (int i = 0; i < lumaBytes; i++) {
            frame[i] = (byte) div255((frame[i] & 0xFF) * keep + (incoming[i] & 0xFF) * alpha);
        }
        for (int i = lumaBytes; i < frame.length; i++) {
            int mixed = div255(((frame[i] & 0xFF) - 128) * keep + ((incoming[i] & 0xFF) - 128) * alpha) + 128;
            frame[i] = (byte) Math.max(0, Math.min(255, mixed));
        }
    }

    /** FFmpeg's FAST_DIV255. */
    private static int div255(int x) {
        return ((x + 128) * 257) >> 16;
    }
}
