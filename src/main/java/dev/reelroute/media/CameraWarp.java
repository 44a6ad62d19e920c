package dev.reelroute.media;

/**
 * The camera motion of {@link FfmpegCommands#perspective}, computed in Java on raw yuv420p frames: the same window,
 * the same 1/256 px sample positions, the same bilinear weights and rounding, so a frame from here equals the frame
 * FFmpeg's {@code perspective} makes from the same canvas. It costs about a third as much: every motion is a zoom
 * and a shift along the axes, so each output column samples one source position and each row another, and the
 * resampling is two passes of two taps, where {@code perspective} recomputes and reads a table of positions for
 * every pixel (bench/README.md, "Camera motion in Java").
 *
 * <p>One instance per render, not thread-safe: it keeps its position tables and three rows of scratch.
 */
public final class CameraWarp {
    private static final int SUB_PIXEL_BITS = 8;
    private static final int SUB_PIXELS = 1 << SUB_PIXEL_BITS;

    private final int width;
    private final int height;
    private final int[] lumaColumns;
    private final int[] lumaRows;
    private final int[] chromaColumns;
    private final int[] chromaRows;
    private final int[] sourceColumn;
    private final int[] columnWeight;
    private final int[] sourceRow;
    private final int[] rowWeight;
    private final int[] rowAbove;
    private final int[] rowBelow;
    private final int[] blended;

    public CameraWarp(RenderSize size) {
        this.width = size.width();
        this.height = size.height();
        lumaColumns = new int[width];
        lumaRows = new int[height];
        chromaColumns = new int[width / 2];
        chromaRows = new int[height / 2];
        sourceColumn = new int[width];
        columnWeight = new int[width];
        sourceRow = new int[height];
        rowWeight = new int[height];
        rowAbove = new int[width];
        rowBelow = new int[width];
        blended = new int[width];
    }

    /** Bytes of one yuv420p frame of this size. */
    public int frameBytes() {
        return width * height * 3 / 2;
    }

    /** Bytes of one yuv420p frame of {@code size}. */
    public static int frameBytes(RenderSize size) {
        return size.width() * size.height() * 3 / 2;
    }

    /**
     * Writes into {@code out} the camera's view of {@code canvas} (a yuv420p frame of this size) at frame
     * {@code frame} of a path of {@code pathFrames}: the motion's progress is {@code frame / pathFrames}, as in
     * {@link FfmpegCommands#stillChain}.
     */
    public void frame(byte[] canvas, CameraMotion motion, int frame, int pathFrames, byte[] out) {
        if (canvas.length != frameBytes() || out.length != frameBytes()) {
            throw new IllegalArgumentException("frames must be " + frameBytes() + " bytes");
        }
        if (motion.isStatic()) {
            System.arraycopy(canvas, 0, out, 0, canvas.length);
            return;
        }
        positions(motion, frame, Math.max(1, pathFrames));
        int lumaBytes = width * height;
        int chromaBytes = lumaBytes / 4;
        resample(canvas, 0, out, width, height, lumaColumns, lumaRows);
        resample(canvas, lumaBytes, out, width / 2, height / 2, chromaColumns, chromaRows);
        resample(canvas, lumaBytes + chromaBytes, out, width / 2, height / 2, chromaColumns, chromaRows);
    }

    /**
     * The source position of every column and row, in 1/256 px, as {@code perspective} computes them from its four
     * corners; the expressions and their order of operations follow {@link FfmpegCommands#perspective}, so the
     * doubles, and so the rounded positions, are the same.
     */
    private void positions(CameraMotion motion, int frame, int pathFrames) {
        double a = Double.parseDouble(FfmpegCommands.decimal(motion.amount()));
        double k = frame;
        double p = pathFrames;
        double zoom = switch (motion.kind()) {
            case ZOOM_IN -> 1 + a * k / p;
            case ZOOM_OUT -> 1 + a - a * k / p;
            case DRIFT -> 1 + a * (0.5 + 0.5 * k / p);
            default -> 1 + a;
        };
        double w = width;
        double h = height;
        double marginX = w - w / zoom;
        double marginY = h - h / zoom;
        double windowX = switch (motion.kind()) {
            case PAN_LEFT -> marginX * (1 - k / p);
            case PAN_RIGHT, DRIFT -> marginX * k / p;
            default -> marginX / 2;
        };
        double windowY = switch (motion.kind()) {
            case TILT_UP -> marginY * (1 - k / p);
            case TILT_DOWN, DRIFT -> marginY * k / p;
            default -> marginY / 2;
        };
        double left = windowX + 0.5 / zoom - 0.5;
        double top = windowY + 0.5 / zoom - 0.5;
        double right = left + w / zoom;
        double bottom = top + h / zoom;
        // perspective's coefficients for the rectangle (left, top)-(right, bottom), "sense=source"
        double q = (right - right) * (bottom - bottom) - (left - right) * (top - bottom);
        double x0 = q * (right - left) * h;
        double x2 = q * left * w * h;
        double x4 = q * (bottom - top) * w;
        double x5 = q * top * w * h;
        double x8 = q * w * h;
        for (int x = 0; x < width; x++) {
            lumaColumns[x] = (int) Math.rint(SUB_PIXELS * (x0 * x + x2) / x8);
        }
        for (int y = 0; y < height; y++) {
            lumaRows[y] = (int) Math.rint(SUB_PIXELS * (x4 * y + x5) / x8);
        }
        // a chroma sample takes the position of the luma sample it covers, halved (perspective: pv[2x, 2y] >> 1)
        for (int x = 0; x < chromaColumns.length; x++) {
            chromaColumns[x] = lumaColumns[2 * x] >> 1;
        }
        for (int y = 0; y < chromaRows.length; y++) {
            chromaRows[y] = lumaRows[2 * y] >> 1;
        }
    }

    /**
     * Bilinear resampling of one plane ({@code w} x {@code h} at {@code offset} in both frames): each output row
     * blends two source rows, each resampled along x once and kept while the next output row still needs it.
     * Positions outside the plane take its edge, as in {@code perspective} (a plane is at least 8 samples a side:
     * {@link RenderSize#MIN_SIDE} halved); the sums and their rounding are
     * {@code perspective}'s: (rowWeight * (columnWeight * pixel ...) + 2^15) >> 16.
     */
    private void resample(byte[] source, int offset, byte[] out, int w, int h, int[] columns, int[] rows) {
        split(columns, w, sourceColumn, columnWeight);
        split(rows, h, sourceRow, rowWeight);
        int[] above = rowAbove;
        int[] below = rowBelow;
        int aboveRow = -1;
        int belowRow = -1;
        for (int y = 0; y < h; y++) {
            int row = sourceRow[y];
            if (aboveRow != row) {
                if (belowRow == row) {
                    int[] swap = above;
                    above = below;
                    below = swap;
                    belowRow = -1;
                } else {
                    resampleRow(source, offset + row * w, w, above);
                }
                aboveRow = row;
            }
            if (belowRow != row + 1) {
                resampleRow(source, offset + (row + 1) * w, w, below);
                belowRow = row + 1;
            }
            blendRows(above, below, rowWeight[y], out, offset + y * w, w);
        }
    }

    /**
     * The first {@code size} positions (1/256 px) as the index of the sample before each and the weight of the one
     * after it; a position outside the plane takes its edge sample whole.
     */
    private static void split(int[] positions, int size, int[] index, int[] weight) {
        for (int i = 0; i < size; i++) {
            int sample = positions[i] >> SUB_PIXEL_BITS;
            int fraction = positions[i] & (SUB_PIXELS - 1);
            if (sample < 0) {
                sample = 0;
                fraction = 0;
            } else if (sample >= size - 1) {
                sample = size - 2;
                fraction = SUB_PIXELS;
            }
            index[i] = sample;
            weight[i] = fraction;
        }
    }

    /**
     * One output row from two resampled rows. The inner loops are methods of their own, without branches: a branch
     * the JIT has not seen yet (an edge clamp, a new motion) then recompiles only the per-row logic around them. The
     * sums go to an int row first and are narrowed to bytes in a loop of their own: Java 17's C2 leaves a loop that
     * mixes ints and bytes unvectorized, and split this way the camera takes a fifth less time (bench/README.md,
     * "The camera's blend in two loops").
     */
    private void blendRows(int[] above, int[] below, int weight, byte[] out, int target, int w) {
        int[] sums = blended;
        for (int x = 0; x < w; x++) {
            int top = above[x];
            sums[x] = ((top << SUB_PIXEL_BITS) + weight * (below[x] - top) + (1 << 15)) >> 16;
        }
        for (int x = 0; x < w; x++) {
            out[target + x] = (byte) sums[x];
        }
    }

    /** One source row resampled along x: each sample times 256, blended with its right neighbour. */
    private void resampleRow(byte[] source, int rowStart, int w, int[] into) {
        for (int x = 0; x < w; x++) {
            int at = rowStart + sourceColumn[x];
            int left = source[at] & 0xFF;
            into[x] = (left << SUB_PIXEL_BITS) + columnWeight[x] * ((source[at + 1] & 0xFF) - left);
        }
    }
}
