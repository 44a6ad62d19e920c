package dev.reelroute.config;

import java.time.Duration;

/** Text bounded to what a column holds, and durations as people write them. */
public final class Texts {
    private Texts() {}

    /** {@code text} cut to at most {@code maxChars} characters, an ellipsis marking the cut; null stays null. */
    public static String bounded(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        return text.substring(0, maxChars - 1) + "…";
    }

    /** "30 min", "2 h", "90 s", "1 h 30 min": the limit as a user would set it. */
    public static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 60 != 0 || seconds < 60) {
            return seconds + " s";
        }
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        if (hours == 0) {
            return minutes + " min";
        }
        return minutes == 0 ? hours + " h" : hours + " h " + minutes + " min";
    }
}
