package dev.reelroute.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Measures how smoothly a rendered camera motion moves: draws thin high-contrast lines with a
 * Gaussian profile at known sub-pixel positions, and after a render tracks each line's centroid in
 * every decoded frame and compares it with where the ideal camera path puts it.
 *
 * <p>Coordinates are continuous: pixel {@code i} covers {@code [i, i+1)}, so its centre is {@code i+0.5}.
 * The fitted frame must be the image itself (image size == render size), so the only movement is the
 * camera's. Vertical lines measure x, horizontal lines measure y.
 */
public final class MotionTracker {

    private static final double SIGMA = 1.5;
    private static final int SEARCH = 10;
    private static final int WINDOW = 8;

    private final int width;
    private final int height;
    private final double[] verticalLinesX;
    private final double[] horizontalLinesY;

    public MotionTracker(int width, int height, double[] verticalLinesX, double[] horizontalLinesY) {
        this.width = width;
        this.height = height;
        this.verticalLinesX = verticalLinesX.clone();
        this.horizontalLinesY = horizontalLinesY.clone();
    }

    /** A grey PNG: dark background, bright lines of Gaussian profile (sigma 1.5 px). */
    public Path writeImage(Path png) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = 0;
                for (double cx : verticalLinesX) {
                    v = Math.max(v, gauss(x + 0.5 - cx));
                }
                for (double cy : horizontalLinesY) {
                    v = Math.max(v, gauss(y + 0.5 - cy));
                }
                int grey = (int) Math.round(10 + 235 * v);
                image.getRaster().setSample(x, y, 0, grey);
            }
        }
        ImageIO.write(image, "png", png.toFile());
        return png;
    }

    /**
     * Tracks every line through every frame of {@code video} and compares with the ideal path.
     *
     * @param totalFrames frames the render was planned for ({@link FfmpegCommands#frameCount}); the
     *                    ideal path runs from frame 0 to frame totalFrames - 1
     */
    public Result track(Path video, Path scratchDir, CameraMotion motion, int totalFrames) throws IOException {
        return track(video, scratchDir, motion, totalFrames, 0);
    }

    /** As above for a video whose first frame is frame {@code firstFrame} of the planned path. */
    public Result track(Path video, Path scratchDir, CameraMotion motion, int totalFrames, int firstFrame) throws IOException {
        Path raw = Fixtures.ffmpeg(scratchDir.resolve("frames.raw"), "-i", video.toString(), "-f", "rawvideo",
                "-pix_fmt", "gray");
        byte[] bytes = Files.readAllBytes(raw);
        int frameSize = width * height;
        int frames = bytes.length / frameSize;
        double maxDeviation = 0;
        int backwardSteps = 0;
        double minForwardStep = Double.POSITIVE_INFINITY;
        List<double[]> previous = null; // per feature: {measured, ideal}
        for (int n = 0; n < frames; n++) {
            int offset = n * frameSize;
            double[] columns = profile(bytes, offset, true);
            double[] rows = profile(bytes, offset, false);
            double[][] ideal = idealPositions(motion, firstFrame + n, totalFrames);
            List<double[]> now = new ArrayList<>();
            for (double x : ideal[0]) {
                now.add(new double[] {centroid(columns, x), x});
            }
            for (double y : ideal[1]) {
                now.add(new double[] {centroid(rows, y), y});
            }
            for (int i = 0; i < now.size(); i++) {
                double[] feature = now.get(i);
                maxDeviation = Math.max(maxDeviation, Math.abs(feature[0] - feature[1]));
                if (previous != null) {
                    double idealStep = feature[1] - previous.get(i)[1];
                    if (Math.abs(idealStep) > 1e-6) { // a line the camera doesn't move has no direction
                        double step = (feature[0] - previous.get(i)[0]) * Math.signum(idealStep);
                        minForwardStep = Math.min(minForwardStep, step);
                        if (step < 0) {
                            backwardSteps++;
                        }
                    }
                }
            }
            previous = now;
        }
        return new Result(frames, maxDeviation, backwardSteps, minForwardStep);
    }

    public record Result(int frames, double maxDeviationPx, int backwardSteps, double minForwardStepPx) {
    }

    /**
     * Where the lines should be in output frame {@code n}: the ideal camera shows the window
     * {@code [x0, x0 + W/z)} of the frame, so a point at {@code c} lands at {@code (c - x0) * z}.
     */
    double[][] idealPositions(CameraMotion motion, int n, int totalFrames) {
        double p = (double) n / Math.max(1, totalFrames - 1);
        double a = motion.amount();
        double z = switch (motion.kind()) {
            case STATIC -> 1;
            case ZOOM_IN -> 1 + a * p;
            case ZOOM_OUT -> 1 + a - a * p;
            case DRIFT -> 1 + a * (0.5 + 0.5 * p);
            default -> 1 + a;
        };
        double marginX = width - width / z;
        double marginY = height - height / z;
        double x0 = switch (motion.kind()) {
            case PAN_RIGHT, DRIFT -> marginX * p;
            case PAN_LEFT -> marginX * (1 - p);
            default -> marginX / 2;
        };
        double y0 = switch (motion.kind()) {
            case TILT_DOWN, DRIFT -> marginY * p;
            case TILT_UP -> marginY * (1 - p);
            default -> marginY / 2;
        };
        double[] xs = new double[verticalLinesX.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (verticalLinesX[i] - x0) * z;
        }
        double[] ys = new double[horizontalLinesY.length];
        for (int i = 0; i < ys.length; i++) {
            ys[i] = (horizontalLinesY[i] - y0) * z;
        }
        return new double[][] {xs, ys};
    }

    /**
     * Mean brightness per column (over the middle third of the rows) or per row (over the middle
     * third of the columns). Place the lines so none crosses the other direction's band.
     */
    private double[] profile(byte[] frames, int offset, boolean perColumn) {
        int length = perColumn ? width : height;
        int across = perColumn ? height : width;
        double[] sums = new double[length];
        for (int i = 0; i < length; i++) {
            for (int j = across / 3; j < 2 * across / 3; j++) {
                int x = perColumn ? i : j;
                int y = perColumn ? j : i;
                sums[i] += frames[offset + y * width + x] & 0xFF;
            }
        }
        return sums;
    }

    /** Centroid (continuous coordinates) of the peak nearest {@code guess}, background subtracted. */
    private static double centroid(double[] profile, double guess) {
        int centre = (int) Math.round(guess - 0.5);
        int peak = centre;
        for (int i = Math.max(0, centre - SEARCH); i <= Math.min(profile.length - 1, centre + SEARCH); i++) {
            if (profile[i] > profile[peak]) {
                peak = i;
            }
        }
        int from = Math.max(0, peak - WINDOW);
        int to = Math.min(profile.length - 1, peak + WINDOW);
        double floor = Double.POSITIVE_INFINITY;
        for (int i = from; i <= to; i++) {
            floor = Math.min(floor, profile[i]);
        }
        double weight = 0;
        double moment = 0;
        for (int i = from; i <= to; i++) {
            double w = profile[i] - floor;
            weight += w;
            moment += w * (i + 0.5);
        }
        return moment / weight;
    }

    private static double gauss(double d) {
        return Math.exp(-0.5 * (d / SIGMA) * (d / SIGMA));
    }
}
