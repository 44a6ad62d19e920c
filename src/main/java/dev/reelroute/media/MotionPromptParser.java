package dev.reelroute.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * Turns a free-text clip prompt into a {@link CameraMotion} from a small fixed vocabulary. The prompt is only
 * matched against these words; it never reaches a command line.
 *
 * <p>Matching is case-insensitive on whole words (a word is a run of letters; everything else separates
 * words, so "Zoom-In" and "zoom in" match, "archway" does not match "arc"). Only the first
 * {@value #MAX_PROMPT_CHARS} characters are read. When several motions are named, the one that appears
 * first in the prompt wins; at one position the longer phrase wins ("dolly out" over "dolly"). The first
 * speed word anywhere in the prompt sets the amount.
 *
 * <table>
 *   <caption>Motion vocabulary</caption>
 *   <tr><th>Words</th><th>Motion</th></tr>
 *   <tr><td>zoom in, push in, dolly in, dolly</td><td>ZOOM_IN</td></tr>
 *   <tr><td>zoom out, pull out, pull back, dolly out</td><td>ZOOM_OUT</td></tr>
 *   <tr><td>pan left</td><td>PAN_LEFT</td></tr>
 *   <tr><td>pan right</td><td>PAN_RIGHT</td></tr>
 *   <tr><td>tilt up</td><td>TILT_UP</td></tr>
 *   <tr><td>tilt down</td><td>TILT_DOWN</td></tr>
 *   <tr><td>orbit, drift, arc</td><td>DRIFT (slow diagonal drift with a slight zoom in)</td></tr>
 *   <tr><td>static, still, locked, no motion</td><td>STATIC</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Speed vocabulary</caption>
 *   <tr><th>Words</th><th>Amount</th></tr>
 *   <tr><td>slow, gentle, subtle</td><td>{@value #SLOW} (5% of the frame over the clip)</td></tr>
 *   <tr><td>(none)</td><td>{@value #MEDIUM}</td></tr>
 *   <tr><td>fast, quick, dramatic</td><td>{@value #FAST}</td></tr>
 * </table>
 *
 * A null, blank or unrecognized prompt gives {@link CameraMotion#gentleDefault()} with
 * {@code recognized == false}; speed words alone do not count as recognized.
 */
@Component
public class MotionPromptParser {

    public static final int MAX_PROMPT_CHARS = 500;
    public static final double SLOW = 0.05;
    public static final double MEDIUM = 0.10;
    public static final double FAST = 0.20;

    private record Phrase(List<String> words, CameraMotion.Kind kind) {
    }

    /** Longer phrases first, so that at one position "dolly out" wins over "dolly". */
    private static final List<Phrase> PHRASES = List.of(
            phrase("zoom in", CameraMotion.Kind.ZOOM_IN),
            phrase("push in", CameraMotion.Kind.ZOOM_IN),
            phrase("dolly in", CameraMotion.Kind.ZOOM_IN),
            phrase("zoom out", CameraMotion.Kind.ZOOM_OUT),
            phrase("pull out", CameraMotion.Kind.ZOOM_OUT),
            phrase("pull back", CameraMotion.Kind.ZOOM_OUT),
            phrase("dolly out", CameraMotion.Kind.ZOOM_OUT),
            phrase("pan left", CameraMotion.Kind.PAN_LEFT),
            phrase("pan right", CameraMotion.Kind.PAN_RIGHT),
            phrase("tilt up", CameraMotion.Kind.TILT_UP),
            phrase("tilt down", CameraMotion.Kind.TILT_DOWN),
            phrase("no motion", CameraMotion.Kind.STATIC),
            phrase("dolly", CameraMotion.Kind.ZOOM_IN),
            phrase("orbit", CameraMotion.Kind.DRIFT),
            phrase("drift", CameraMotion.Kind.DRIFT),
            phrase("arc", CameraMotion.Kind.DRIFT),
            phrase("static", CameraMotion.Kind.STATIC),
            phrase("still", CameraMotion.Kind.STATIC),
            phrase("locked", CameraMotion.Kind.STATIC));

    private static final List<String> SLOW_WORDS = List.of("slow", "gentle", "subtle");
    private static final List<String> FAST_WORDS = List.of("fast", "quick", "dramatic");

    public ParsedMotion parse(String prompt) {
        List<String> words = words(prompt);
        CameraMotion.Kind kind = null;
        for (int i = 0; i < words.size() && kind == null; i++) {
            for (Phrase phrase : PHRASES) {
                if (matchesAt(words, i, phrase.words())) {
                    kind = phrase.kind();
                    break;
                }
            }
        }
        if (kind == null) {
            return new ParsedMotion(CameraMotion.gentleDefault(), false,
                    "no camera motion recognized; using the default gentle zoom in");
        }
        if (kind == CameraMotion.Kind.STATIC) {
            return new ParsedMotion(CameraMotion.none(), true, "static camera");
        }
        String speed = null;
        double amount = MEDIUM;
        for (String word : words) {
            if (SLOW_WORDS.contains(word)) {
                speed = "slow";
                amount = SLOW;
                break;
            }
            if (FAST_WORDS.contains(word)) {
                speed = "fast";
                amount = FAST;
                break;
            }
        }
        String name = switch (kind) {
            case ZOOM_IN -> "zoom in";
            case ZOOM_OUT -> "zoom out";
            case PAN_LEFT -> "pan left";
            case PAN_RIGHT -> "pan right";
            case TILT_UP -> "tilt up";
            case TILT_DOWN -> "tilt down";
            case DRIFT -> "diagonal drift";
            case STATIC -> "static camera";
        };
        return new ParsedMotion(new CameraMotion(kind, amount), true, speed == null ? name : speed + " " + name);
    }

    /** Lower-case words (runs of letters) of the first {@value #MAX_PROMPT_CHARS} characters; empty for null. */
    static List<String> words(String prompt) {
        List<String> words = new ArrayList<>();
        if (prompt == null) {
            return words;
        }
        String text = prompt.length() > MAX_PROMPT_CHARS ? prompt.substring(0, MAX_PROMPT_CHARS) : prompt;
        StringBuilder word = new StringBuilder();
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (Character.isLetter(c)) {
                word.append(c);
            } else if (!word.isEmpty()) {
                words.add(word.toString().toLowerCase(Locale.ROOT));
                word.setLength(0);
            }
        }
        return words;
    }

    private static boolean matchesAt(List<String> words, int at, List<String> phrase) {
        if (at + phrase.size() > words.size()) {
            return false;
        }
        for (int j = 0; j < phrase.size(); j++) {
            if (!words.get(at + j).equals(phrase.get(j))) {
                return false;
            }
        }
        return true;
    }

    private static Phrase phrase(String text, CameraMotion.Kind kind) {
        return new Phrase(List.of(text.split(" ")), kind);
    }
}
