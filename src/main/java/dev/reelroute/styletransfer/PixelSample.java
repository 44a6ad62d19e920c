package dev.reelroute.styletransfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The colours of the tiny RGB frames the analysis samples (rgb24, full range, BT.709): the dominant hue of the
 * saturated pixels and a palette. The frames are read one at a time into a histogram of 32 levels per channel, so
 * memory stays fixed whatever the length of the video.
 */
final class PixelSample {

    static final int PALETTE_SIZE = 5;
    /** HSV saturation from which a pixel's hue counts: below it, hue is mostly noise. */
    static final double SATURATED = 0.3;
    /** HSV value from which a pixel's hue counts: very dark pixels have no reliable hue. */
    static final int BRIGHT_ENOUGH = 40;
    /** Share of the pixels that must be saturated before the sample has a hue. */
    static final double MIN_SATURATED_SHARE = 0.01;
    /** Length of the mean hue vector (0 hues all around the wheel, 1 one hue) below which there is no dominant hue. */
    static final double MIN_HUE_CONCENTRATION = 0.1;

    private static final int LEVELS = 32;
    private static final int SHIFT = 3; // 256 / 32 levels

    private final long[] counts = new long[LEVELS * LEVELS * LEVELS];
    private final long[] sums = new long[LEVELS * LEVELS * LEVELS * 3];
    private long pixels;
    private long saturated;
    private double hueX;
    private double hueY;
    private double hueWeight;

    /** Reads at most {@code maxFrames} frames of {@code width}x{@code height} rgb24 from {@code file}. */
    static PixelSample read(Path file, int width, int height, int maxFrames) throws IOException {
        PixelSample sample = new PixelSample();
        byte[] frame = new byte[width * height * 3];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = 0; n < maxFrames && in.readNBytes(frame, 0, frame.length) == frame.length; n++) {
                for (int i = 0; i < frame.length; i += 3) {
                    sample.add(frame[i] & 0xFF, frame[i + 1] & 0xFF, frame[i + 2] & 0xFF);
                }
            }
        } catch (NoSuchFileException e) {
            // no frame was sampled
        }
        return sample;
    }

    long pixels() {
        return pixels;
    }

    void add(int r, int g, int b) {
        int bin = ((r >> SHIFT) * LEVELS + (g >> SHIFT)) * LEVELS + (b >> SHIFT);
        counts[bin]++;
        sums[3 * bin] += r;
        sums[3 * bin + 1] += g;
        sums[3 * bin + 2] += b;
        pixels++;
        int max = Math.max(r, Math.max(g, b));
        int chroma = max - Math.min(r, Math.min(g, b));
        if (max >= BRIGHT_ENOUGH && chroma >= SATURATED * max) {
            saturated++;
            double radians = Math.toRadians(hueDegrees(r, g, b, max, chroma));
            // Weighted by chroma: vivid pixels say more about the hue of a picture than pale ones.
            hueX += chroma * Math.cos(radians);
            hueY += chroma * Math.sin(radians);
            hueWeight += chroma;
        }
    }

    /** The circular mean hue of the saturated pixels, 0-360; null when there is no dominant hue. */
    Double hue() {
        if (pixels == 0 || saturated < MIN_SATURATED_SHARE * pixels) {
            return null;
        }
        if (Math.hypot(hueX, hueY) < MIN_HUE_CONCENTRATION * hueWeight) {
            return null;
        }
        double degrees = Math.toDegrees(Math.atan2(hueY, hueX));
        return degrees < 0 ? degrees + 360 : degrees;
    }

    static double hueDegrees(int r, int g, int b, int max, int chroma) {
        double h;
        if (max == r) {
            h = (double) (g - b) / chroma;
        } else if (max == g) {
            h = 2 + (double) (b - r) / chroma;
        } else {
            h = 4 + (double) (r - g) / chroma;
        }
        return ((h * 60) % 360 + 360) % 360;
    }

    /**
     * Up to {@link #PALETTE_SIZE} colours by median cut over the histogram: the box with the most pixels times its
     * widest side is split at its pixel median along that side, until there are enough boxes or none can be split;
     * each box gives the mean colour of its pixels. Most common first, "#rrggbb".
     */
    List<String> palette() {
        List<Box> boxes = new ArrayList<>();
        List<Integer> bins = new ArrayList<>();
        for (int bin = 0; bin < counts.length; bin++) {
            if (counts[bin] > 0) {
                bins.add(bin);
            }
        }
        if (bins.isEmpty()) {
            return List.of();
        }
        boxes.add(new Box(bins));
        while (boxes.size() < PALETTE_SIZE) {
            Box widest = boxes.stream().filter(Box::splittable)
                    .max(Comparator.comparingDouble(box -> (double) box.count() * box.widestSide())).orElse(null);
            if (widest == null) {
                break;
            }
            boxes.remove(widest);
            boxes.addAll(widest.split());
        }
        boxes.sort(Comparator.comparingLong(Box::count).reversed());
        List<String> colours = new ArrayList<>();
        for (Box box : boxes) {
            colours.add(box.meanColour());
        }
        return colours;
    }

    private static int channel(int bin, int c) {
        return switch (c) {
            case 0 -> bin / (LEVELS * LEVELS);
            case 1 -> bin / LEVELS % LEVELS;
            default -> bin % LEVELS;
        };
    }

    /** A box of histogram bins. */
    private final class Box {
        private final List<Integer> bins;
        private final long count;

        Box(List<Integer> bins) {
            this.bins = bins;
            long total = 0;
            for (int bin : bins) {
                total += counts[bin];
            }
            this.count = total;
        }

        long count() {
            return count;
        }

        boolean splittable() {
            return bins.size() > 1;
        }

        int widestChannel() {
            int best = 0;
            for (int c = 1; c < 3; c++) {
                if (side(c) > side(best)) {
                    best = c;
                }
            }
            return best;
        }

        int widestSide() {
            return side(widestChannel());
        }

        private int side(int c) {
            int min = LEVELS;
            int max = -1;
            for (int bin : bins) {
                min = Math.min(min, channel(bin, c));
                max = Math.max(max, channel(bin, c));
            }
            return max - min;
        }

        /** Two boxes, split along the widest channel where half the pixels are on either side. */
        List<Box> split() {
            int c = widestChannel();
            List<Integer> sorted = new ArrayList<>(bins);
            sorted.sort(Comparator.comparingInt(bin -> channel(bin, c)));
            long seen = 0;
            int cut = 1;
            for (int i = 0; i < sorted.size() - 1; i++) {
                seen += counts[sorted.get(i)];
                cut = i + 1;
                if (seen * 2 >= count) {
                    break;
                }
            }
            return List.of(new Box(new ArrayList<>(sorted.subList(0, cut))),
                    new Box(new ArrayList<>(sorted.subList(cut, sorted.size()))));
        }

        String meanColour() {
            long r = 0;
            long g = 0;
            long b = 0;
            for (int bin : bins) {
                r += sums[3 * bin];
                g += sums[3 * bin + 1];
                b += sums[3 * bin + 2];
            }
            return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round((double) r / count),
                    Math.round((double) g / count), Math.round((double) b / count));
        }
    }
}
