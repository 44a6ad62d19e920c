package dev.reelroute.provider;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads progress out of provider log lines: the last "NN%" wins. */
final class Progress {
    private static final Pattern PERCENT = Pattern.compile("(?<![\\d.])(\\d{1,3})(?:\\.\\d+)?\\s?%");

    private Progress() {
    }

    static Integer lastPercent(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = PERCENT.matcher(lines.get(i));
            Integer last = null;
            while (m.find()) {
                int v = Integer.parseInt(m.group(1));
                if (v <= 100) {
                    last = v;
                }
            }
            if (last != null) {
                return last;
            }
        }
        return null;
    }
}
