package dev.reelroute.styletransfer;

import dev.reelroute.media.InvalidMediaException;
import dev.reelroute.media.ProbeResult;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;

/**
 * Turns the files of a style analysis run ({@link StyleAnalysisCommands}) into the groups of a {@link StyleJson}.
 * Luma and chroma are limited-range code values there (the run converts to limited range first).
 */
final class StyleMeasurements {

    static final double BLACK = 16;
    static final double LUMA_RANGE = 219;
    static final double NEUTRAL_CHROMA = 128;
    /** Chroma magnitude of a full-strength primary or secondary, BT.709 limited range (0.5 of 224 code values). */
    static final double FULL_CHROMA = 112;
    /** The EBU R128 absolute gate: nothing quieter counts, so a silent track measures this. */
    static final double SILENCE_LUFS = -70;
    static final double SILENCE_DBTP = -99;
    static final double MAX_DBTP = 20;

    private StyleMeasurements() {
    }

    /** Sums of the signalstats entries over the sampled frames. */
    private static final class ColourSums {
        int frames;
        double luma;
        double low;
        double high;
        double saturation;
        double cb;
        double cr;

        void add(FrameMetadataFile.Frame frame) {
            double[] values = {frame.number("lavfi.signalstats.YAVG"), frame.number("lavfi.signalstats.YLOW"),
                    frame.number("lavfi.signalstats.YHIGH"), frame.number("lavfi.signalstats.SATAVG"),
                    frame.number("lavfi.signalstats.UAVG"), frame.number("lavfi.signalstats.VAVG")};
            for (double value : values) {
                if (Double.isNaN(value)) {
                    return;
                }
            }
            frames++;
            luma += values[0];
            low += values[1];
            high += values[2];
            saturation += values[3];
            cb += values[4];
            cr += values[5];
        }
    }

    static StyleJson.Color color(Path colourFile, PixelSample pixels) throws IOException {
        ColourSums sums = new ColourSums();
        FrameMetadataFile.forEachFrame(colourFile, sums::add);
        if (sums.frames == 0) {
            throw new InvalidMediaException("no video frame could be decoded for the style analysis");
        }
        int n = sums.frames;
        ChromaCast cast = ChromaCast.ofCodeValues(sums.cb / n, sums.cr / n);
        Double hue = pixels.hue();
        return new StyleJson.Color(
                round(unitLuma(sums.luma / n), 4),
                round(clamp(sums.high / n / LUMA_RANGE - sums.low / n / LUMA_RANGE, 0, 1), 4),
                round(clamp(sums.saturation / n / FULL_CHROMA, 0, 1), 4),
                hue == null ? null : round(hue, 1),
                round(clamp(cast.temperature(), -1, 1), 4),
                round(clamp(cast.tint(), -1, 1), 4),
                round(unitLuma(sums.low / n), 4),
                round(unitLuma(sums.high / n), 4),
                pixels.palette());
    }

    /**
     * Mean motion from scdet's mafd (percent of full scale; the first frame has nothing to differ from and is left
     * out) and the cuts scdet marked. {@code analysedSeconds} 0 (duration unknown) takes the last frame's time.
     */
    static StyleJson.Motion motion(Path motionFile, Path cutsFile, double analysedSeconds) throws IOException {
        double[] sum = new double[1];
        int[] frames = new int[1];
        double[] lastTime = {0};
        FrameMetadataFile.forEachFrame(motionFile, frame -> {
            double mafd = frame.number("lavfi.scd.mafd");
            if (frames[0]++ > 0 && !Double.isNaN(mafd)) {
                sum[0] += mafd;
            }
            if (!Double.isNaN(frame.ptsTime())) {
                lastTime[0] = Math.max(lastTime[0], frame.ptsTime());
            }
        });
        int[] cuts = new int[1];
        FrameMetadataFile.forEachFrame(cutsFile, frame -> cuts[0]++);
        double seconds = analysedSeconds > 0 ? analysedSeconds : lastTime[0];
        double meanMotion = frames[0] > 1 ? sum[0] / (frames[0] - 1) / 100 : 0;
        return new StyleJson.Motion(round(clamp(meanMotion, 0, 1), 4),
                seconds > 0 ? round(cuts[0] * 60 / seconds, 3) : 0,
                round(seconds / (cuts[0] + 1), 3));
    }

    /**
     * The running EBU R128 values ebur128 printed on its last frame, which cover the whole track. Null when no frame
     * was measured (an audio stream that decodes to nothing).
     */
    static StyleJson.Audio audio(Path loudnessFile) throws IOException {
        FrameMetadataFile.Frame[] last = new FrameMetadataFile.Frame[1];
        FrameMetadataFile.forEachFrame(loudnessFile, frame -> last[0] = frame);
        if (last[0] == null) {
            return null;
        }
        double integrated = last[0].number("lavfi.r128.I");
        double range = last[0].number("lavfi.r128.LRA");
        double peak = last[0].number("lavfi.r128.true_peak"); // linear, the highest of all channels
        return new StyleJson.Audio(
                Double.isNaN(integrated) ? SILENCE_LUFS : round(Math.max(SILENCE_LUFS, integrated), 2),
                Double.isNaN(range) ? 0 : round(Math.max(0, range), 2),
                Double.isNaN(peak) || peak <= 0 ? SILENCE_DBTP
                        : round(clamp(20 * Math.log10(peak), SILENCE_DBTP, MAX_DBTP), 2));
    }

    static StyleJson.Format format(ProbeResult probe) {
        int gcd = BigInteger.valueOf(probe.width()).gcd(BigInteger.valueOf(probe.height())).intValue();
        return new StyleJson.Format(round(probe.fps(), 3), probe.width(), probe.height(),
                probe.width() / gcd + ":" + probe.height() / gcd, round((double) probe.width() / probe.height(), 4),
                round(probe.durationSeconds(), 3));
    }

    /** A luma code value as 0 (black) .. 1 (white). */
    static double unitLuma(double code) {
        return clamp((code - BLACK) / LUMA_RANGE, 0, 1);
    }

    static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
