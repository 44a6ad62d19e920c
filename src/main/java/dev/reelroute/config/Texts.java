package dev.reelroute.config;

/** Text bounded to what a column holds. */
public final class Texts {
    private Texts() {}

    /** {@code text} cut to at most {@code maxChars} characters, an ellipsis marking the cut; null stays null. */
    public static String bounded(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        return text.substring(0, maxChars - 1) + "…";
    }
}
