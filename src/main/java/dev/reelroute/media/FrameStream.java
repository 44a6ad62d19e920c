package dev.reelroute.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Raw video frames made one at a time as a reader takes them, for an encoder's stdin: one frame of memory for any
 * length of video. {@link #transferTo} writes each frame whole, straight from its buffer, so a process fed by
 * {@link WholeWritesExecutor} gets a frame per write.
 */
public abstract class FrameStream extends InputStream {
    private final int frameCount;
    private final byte[] frame;
    private int made;
    private int position;

    protected FrameStream(int frameCount, int frameBytes) {
        this.frameCount = frameCount;
        this.frame = new byte[frameBytes];
        this.position = frameBytes;
    }

    /** Writes frame {@code n} (0 to frameCount - 1, in order) into {@code frame}. */
    protected abstract void make(int n, byte[] frame);

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
            if (made == frameCount) {
                return -1;
            }
            make(made++, frame);
            position = 0;
        }
        int count = Math.min(length, frame.length - position);
        System.arraycopy(frame, position, into, offset, count);
        position += count;
        return count;
    }

    @Override
    public long transferTo(OutputStream out) throws IOException {
        long written = 0;
        if (position < frame.length) {
            out.write(frame, position, frame.length - position);
            written += frame.length - position;
            position = frame.length;
        }
        while (made < frameCount) {
            make(made++, frame);
            out.write(frame);
            written += frame.length;
        }
        return written;
    }
}
