package dev.reelroute.config;

import java.security.SecureRandom;
import java.util.Base64;

/** Identifiers and secrets: unguessable, URL-safe, and (for ids) roughly time-ordered. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.util.regex.Pattern WELL_FORMED = java.util.regex.Pattern.compile("[a-z0-9]{1,32}");
    private static final char[] BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();

    private Ids() {}

    /** A 25-character id like the document's "clxxxxx…": 'c', 8 chars of time, 16 random chars. */
    public static String newId() {
        StringBuilder id = new StringBuilder(25).append('c');
        String time = Long.toString(System.currentTimeMillis(), 36);
        id.append("0".repeat(Math.max(0, 8 - time.length()))).append(time);
        for (int i = 0; i < 16; i++) {
            id.append(BASE36[RANDOM.nextInt(BASE36.length)]);
        }
        return id.toString();
    }

    /**
     * Whether {@code id} has the shape of an id reelroute makes (lowercase base36, bounded): checked before any
     * lookup, so a path segment of another shape never reaches the database.
     */
    public static boolean isWellFormed(String id) {
        return id != null && WELL_FORMED.matcher(id).matches();
    }

    /** {@code bytes} random bytes, base64url without padding. */
    public static String randomToken(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer);
    }
}
