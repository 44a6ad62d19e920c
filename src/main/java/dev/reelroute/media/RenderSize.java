package dev.reelroute.media;

/**
 * Output frame size of a render. Even sides because yuv420p/libx264 need them; bounded so a request
 * can't ask ffmpeg for a frame that exhausts memory.
 */
public record RenderSize(int width, int height) {

    public static final int MIN_SIDE = 16;
    public static final int MAX_SIDE = 3840;
    public static final RenderSize DEFAULT = new RenderSize(1280, 720);

    public RenderSize {
        if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("render size must be within " + MIN_SIDE + ".." + MAX_SIDE
                    + " per side: " + width + "x" + height);
        }
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("render size must be even for yuv420p: " + width + "x" + height);
        }
    }

    /** The size of a probed video, each side made even and brought within bounds (for logs and plans). */
    public static RenderSize nearest(int width, int height) {
        return new RenderSize(evenWithinBounds(width), evenWithinBounds(height));
    }

    private static int evenWithinBounds(int side) {
        return Math.max(MIN_SIDE, Math.min(MAX_SIDE, side - side % 2));
    }

    public double aspectRatio() {
        return (double) width / height;
    }
}
