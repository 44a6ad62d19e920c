package dev.reelroute.live;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * The {@code wait} preference of RFC 7240 ({@code Prefer: wait=10}, possibly among others: {@code
 * Prefer: respond-async, wait=10}). A malformed value is ignored, as the RFC asks of preferences a server does not
 * understand; a wait past {@code max} is clamped to it.
 */
public final class PreferWait {
    private PreferWait() {}

    public static OptionalInt parse(String header, int max) {
        if (header == null || header.length() > 1024) {
            return OptionalInt.empty();
        }
        for (String preference : header.split(",")) {
            String token = preference.split(";", 2)[0].strip();
            int eq = token.indexOf('=');
            if (eq < 0 || !token.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("wait")) {
                continue;
            }
            String value = token.substring(eq + 1).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return OptionalInt.empty();
            }
            int seconds = Integer.parseInt(value);
            return seconds == 0 ? OptionalInt.empty() : OptionalInt.of(Math.min(seconds, max));
        }
        return OptionalInt.empty();
    }
}
