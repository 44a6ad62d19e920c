package dev.reelroute.project;

import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.CameraWarp;
import dev.reelroute.media.RenderSize;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A segment's frames, raw yuv420p, made one at a time as the encoder reads them (see {@link ProjectCommands} for the
 * layout): the clip's camera motion over its canvas, and in the outgoing crossfade the next clip's motion over its
 * canvas drawn over it, frame i of an n-frame crossfade weighing i/n, with the blend and rounding of FFmpeg's
 * {@code fade=t=in:alpha=1} and {@code overlay}, which made these frames before. Four frames of memory, whatever
 * the segment's length.
 */
public final class SegmentFrames extends InputStream {
    private final ProjectCommands.Frames frames;
    private final byte[] canvas;
    private final CameraMotion motion;
    private final byte[] nextCanvas;
    private final CameraMotion nextMotion;
    private final int nextClipFrames;
    private final CameraWarp warp;
    private final byte[] frame;
    private final byte[] incoming;
    private final int lumaBytes;
    private int made;
    private int position;

    SegmentFrames(RenderSize size, ProjectCommands.Frames frames, byte[] canvas, CameraMotion motion,
                  byte[] nextCanvas, CameraMotion nextMotion, int nextClipFrames) {
        this.frames = frames;
        this.canvas = canvas;
        this.motion = motion;
        this.nextCanvas = nextCanvas;
        this.nextMotion = nextMotion;
        this.nextClipFrames = nextClipFrames;
        this.warp = new CameraWarp(size);
        this.frame = new byte[warp.frameBytes()];
        this.incoming = frames.outgoing() > 0 ? new byte[warp.frameBytes()] : null;
        this.lumaBytes = size.width() * size.height();
        if (canvas.length != frame.length || (incoming != null && (nextCanvas == null || nextCanvas.length != frame.length))) {
            throw new IllegalArgumentException("a canvas is not one " + size.width() + "x" + size.height() + " yuv420p frame");
        }
        this.position = frame.length;
    }

    /** Bytes in all: the encoder reads exactly this many. */
    public long length() {
        return (long) frames.segment() * frame.length;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (position == frame.length) {
            if (made == frames.segment()) {
                return -1;
            }
            make(made++);
            position = 0;
        }
        int count = Math.min(length, frame.length - position);
        System.arraycopy(frame, position, into, offset, count);
        position += count;
        return count;
    }

    /** Whole frames, one write each, straight from the frame buffer (see media.WholeWritesExecutor). */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        long written = 0;
        if (position < frame.length) {
            out.write(frame, position, frame.length - position);
            written += frame.length - position;
            position = frame.length;
        }
        while (made < frames.segment()) {
            make(made++);
            out.write(frame);
            written += frame.length;
        }
        return written;
    }

    private void make(int n) {
        warp.frame(canvas, motion, frames.start() + n, frames.clip(), frame);
        int crossfadeFrame = n - frames.main();
        if (crossfadeFrame >= 0) {
            warp.frame(nextCanvas, nextMotion, crossfadeFrame, nextClipFrames, incoming);
            blend(alpha(crossfadeFrame, frames.outgoing()));
        }
    }

    /** fade=t=in:alpha=1 over n frames: frame i's alpha, from its 16-bit factor i * (65536 / n). */
    static int alpha(int i, int n) {
        int factor = Math.min(i * ((1 << 16) / n), 0xFFFF);
        return (255 * factor + (1 << 15)) >> 16;
    }

    /** overlay's blend of the incoming frame over this one at a uniform alpha: luma directly, chroma about 128. */
    private void blend(int alpha) {
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
