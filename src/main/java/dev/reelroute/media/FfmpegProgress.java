package dev.reelroute.media;

import java.util.OptionalLong;

/**
 * Reads the key=value blocks ffmpeg appends to its {@code -progress} file. Each block ends with
 * {@code progress=continue}, the last one with {@code progress=end}; we only care about the newest values.
 */
public final class FfmpegProgress {

    private FfmpegProgress() {
    }

    /**
     * Output timestamp of the newest block in microseconds. Prefers {@code out_time_us}; falls back to
     * {@code out_time_ms}, which despite its name is also microseconds (a long-standing ffmpeg quirk).
     * Values of "N/A" (before the first frame) or negative ones are ignored.
     */
    public static OptionalLong lastOutTimeMicros(String progressFileContent) {
        if (progressFileContent == null) {
            return OptionalLong.empty();
        }
        Long lastUs = null;
        Long lastMs = null;
        for (String line : completeLines(progressFileContent)) {
            int equals = line.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            String key = line.substring(0, equals).strip();
            String value = line.substring(equals + 1).strip();
            if (key.equals("out_time_us")) {
                lastUs = parseMicros(value, lastUs);
            } else if (key.equals("out_time_ms")) {
                lastMs = parseMicros(value, lastMs);
            }
        }
        Long result = lastUs != null ? lastUs : lastMs;
        return result == null ? OptionalLong.empty() : OptionalLong.of(result);
    }

    /** True once ffmpeg wrote its final block; it does so on success and on a clean failure exit. */
    public static boolean ended(String content) {
        if (content == null) {
            return false;
        }
        for (String line : content.split("\r?\n")) {
            if (line.strip().equals("progress=end")) {
                return true;
            }
        }
        return false;
    }

    /** Whole percent of {@code totalSeconds} reached, clamped to 0..100; 0 when the total is unknown. */
    public static int percent(long outTimeMicros, double totalSeconds) {
        if (!(totalSeconds > 0) || outTimeMicros <= 0) {
            return 0;
        }
        double percent = outTimeMicros / (totalSeconds * 10_000.0);
        return (int) Math.max(0, Math.min(100, Math.floor(percent)));
    }

    /** ffmpeg may be mid-write: "out_time_us=20" could become 2000000, so an unterminated last line is skipped. */
    private static String[] completeLines(String content) {
        int end = content.lastIndexOf('\n');
        return end < 0 ? new String[0] : content.substring(0, end).split("\r?\n");
    }

    private static Long parseMicros(String value, Long previous) {
        try {
            long micros = Long.parseLong(value);
            if (micros < 0) {
                return previous; // AV_NOPTS_VALUE leaks through as a huge negative number
            }
            return micros;
        } catch (NumberFormatException e) {
            return previous; // "N/A" until the first frame is muxed
        }
    }
}
