package dev.reelroute.prompt;

import dev.reelroute.media.RenderSize;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.font.FontRenderContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a prompt's words go on a title card: the text is cleaned and cut for display, then wrapped in Java
 * (drawtext does not wrap) with the font's own advance widths, at the largest size from {@code shortSide / 9}
 * down to {@code shortSide / 28} at which every line fits {@value #MAX_TEXT_WIDTH} of the width and the block
 * fits {@value #MAX_TEXT_HEIGHT} of the height. What does not fit even at the smallest size is cut, the last
 * line ending in an ellipsis. Lines are centred one by one; the block is centred vertically.
 *
 * @param fontSize  pixels per em
 * @param lines     at most {@value #MAX_LINES}; empty when there is nothing to show or no room for a line
 * @param baselines y of each line's baseline, in pixels from the top
 */
record TitleCardLayout(int fontSize, List<String> lines, List<Integer> baselines) {

    /** Longer prompts are cut with an ellipsis: a card is read at a glance, not studied. */
    static final int MAX_DISPLAY_CHARS = 280;
    static final int MAX_LINES = 12;
    static final double MAX_TEXT_WIDTH = 0.86;
    static final double MAX_TEXT_HEIGHT = 0.78;
    static final double LINE_HEIGHT_EM = 1.3;
    static final int MIN_FONT_SIZE = 10;
    static final String ELLIPSIS = "…";

    private static final Logger log = LoggerFactory.getLogger(TitleCardLayout.class);

    /** Width in pixels of {@code text} set at {@code fontSize}. */
    interface TextWidth {
        double of(String text, int fontSize);
    }

    /**
     * Wider than DejaVu Sans Bold's average advance (about 0.63 em for English text), so text measured this way
     * fits when the real metrics cannot be read.
     */
    static final TextWidth ESTIMATE = (text, fontSize) -> 0.75 * fontSize * text.codePointCount(0, text.length());

    /** The font's own advance widths, as drawtext lays text out, or {@link #ESTIMATE} if AWT can't read the font. */
    static TextWidth measuring(Path fontFile) {
        try {
            Font font = Font.createFont(Font.TRUETYPE_FONT, fontFile.toFile());
            FontRenderContext context = new FontRenderContext(null, true, true);
            TextWidth measured = (text, size) ->
                    font.deriveFont((float) size).getStringBounds(text, context).getWidth();
            measured.of("Ag", 20); // fails here, not mid-layout, where AWT cannot lay text out on this machine
            return measured;
        } catch (IOException | FontFormatException | RuntimeException | LinkageError e) {
            log.warn("Could not read the metrics of {} ({}); wrapping title cards by estimate", fontFile, e.toString());
            return ESTIMATE;
        }
    }

    static TitleCardLayout of(String prompt, RenderSize size, TextWidth width) {
        String text = displayText(prompt);
        int shortSide = Math.min(size.width(), size.height());
        int largest = Math.max(MIN_FONT_SIZE, (int) Math.round(shortSide / 9.0));
        int smallest = Math.max(MIN_FONT_SIZE, (int) Math.round(shortSide / 28.0));
        double maxWidth = MAX_TEXT_WIDTH * size.width();
        if (text.isEmpty()) {
            return new TitleCardLayout(largest, List.of(), List.of());
        }
        for (int fontSize = largest; ; fontSize = Math.max(smallest, (int) (fontSize * 0.9))) {
            int lineHeight = lineHeight(fontSize);
            int maxLines = Math.min(MAX_LINES, (int) (MAX_TEXT_HEIGHT * size.height() / lineHeight));
            List<String> lines = wrap(text, maxWidth, fontSize, width);
            if (lines.size() <= maxLines) {
                return placed(fontSize, lines, size);
            }
            if (fontSize == smallest) {
                return placed(fontSize, cut(lines, maxLines, maxWidth, fontSize, width), size);
            }
        }
    }

    /**
     * The prompt as one line of words: every run of white space, control or format characters (line breaks, tabs,
     * bidi overrides) becomes one space; longer than {@value #MAX_DISPLAY_CHARS} characters, it is cut at a word
     * where there is one near the limit, and ends in an ellipsis.
     */
    static String displayText(String prompt) {
        if (prompt == null) {
            return "";
        }
        StringBuilder clean = new StringBuilder();
        prompt.codePoints().forEach(c -> {
            boolean separator = Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.isISOControl(c)
                    || Character.getType(c) == Character.FORMAT;
            if (!separator) {
                clean.appendCodePoint(c);
            } else if (clean.length() > 0 && clean.charAt(clean.length() - 1) != ' ') {
                clean.append(' ');
            }
        });
        String text = clean.toString().strip();
        if (text.codePointCount(0, text.length()) <= MAX_DISPLAY_CHARS) {
            return text;
        }
        String kept = text.substring(0, text.offsetByCodePoints(0, MAX_DISPLAY_CHARS - 1));
        int lastSpace = kept.lastIndexOf(' ');
        if (lastSpace > kept.length() - 25) { // a word boundary near the end: don't leave half a word
            kept = kept.substring(0, lastSpace);
        }
        return kept.strip() + ELLIPSIS;
    }

    /** Greedy word wrap; a word wider than a line is broken between characters. */
    static List<String> wrap(String text, double maxWidth, int fontSize, TextWidth width) {
        List<String> lines = new ArrayList<>();
        String current = "";
        for (String word : text.split(" ")) {
            String candidate = current.isEmpty() ? word : current + " " + word;
            if (width.of(candidate, fontSize) <= maxWidth) {
                current = candidate;
                continue;
            }
            if (!current.isEmpty()) {
                lines.add(current);
            }
            while (width.of(word, fontSize) > maxWidth && word.codePointCount(0, word.length()) > 1) {
                int end = longestFittingPrefix(word, maxWidth, fontSize, width);
                lines.add(word.substring(0, end));
                word = word.substring(end);
            }
            current = word;
        }
        if (!current.isEmpty()) {
            lines.add(current);
        }
        return lines;
    }

    private static int longestFittingPrefix(String word, double maxWidth, int fontSize, TextWidth width) {
        int end = word.offsetByCodePoints(0, 1); // at least one character per line, whatever its width
        while (end < word.length()) {
            int next = word.offsetByCodePoints(end, 1);
            if (width.of(word.substring(0, next), fontSize) > maxWidth) {
                break;
            }
            end = next;
        }
        return end;
    }

    /** The first {@code maxLines} lines, the last shortened until it fits with an ellipsis after it. */
    private static List<String> cut(List<String> lines, int maxLines, double maxWidth, int fontSize, TextWidth width) {
        if (maxLines <= 0) {
            return List.of();
        }
        List<String> kept = new ArrayList<>(lines.subList(0, maxLines));
        String last = kept.get(maxLines - 1);
        while (!last.isEmpty() && width.of(last.strip() + ELLIPSIS, fontSize) > maxWidth) {
            last = last.substring(0, last.offsetByCodePoints(last.length(), -1));
        }
        kept.set(maxLines - 1, last.strip() + ELLIPSIS);
        return kept;
    }

    private static TitleCardLayout placed(int fontSize, List<String> lines, RenderSize size) {
        int lineHeight = lineHeight(fontSize);
        int top = (size.height() - lines.size() * lineHeight) / 2;
        List<Integer> baselines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            // Half a line down, then 0.35 em: capitals (0.73 em tall) sit centred in their line.
            baselines.add(top + i * lineHeight + (int) Math.round(lineHeight / 2.0 + 0.35 * fontSize));
        }
        return new TitleCardLayout(fontSize, List.copyOf(lines), List.copyOf(baselines));
    }

    static int lineHeight(int fontSize) {
        return (int) Math.round(fontSize * LINE_HEIGHT_EM);
    }
}
