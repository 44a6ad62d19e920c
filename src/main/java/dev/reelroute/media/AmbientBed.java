package dev.reelroute.media;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A quiet background sound under a project's music. Every bed is <b>synthesized</b> by ffmpeg's own
 * audio sources and filters (noise of a given colour, shaped by filters and a slow volume LFO); no
 * recorded sound is used, so "rain" or "ocean" is an impression, not a field recording.
 *
 * <p>Each bed is a fixed filter chain (keywords and numbers only, see {@link #filter()}), calibrated to
 * about -30 LUFS integrated (measured with ebur128 over 20 s, mono upmixed to stereo), well under
 * typical music at -14..-16 LUFS.
 *
 * <h2>Choosing a bed from the clips' prompts</h2>
 * Each prompt votes for at most one bed: the bed with the most keyword hits among its (whole, case-insensitive)
 * words, ties in enum order; a prompt without any keyword does not vote. The bed with the most votes wins,
 * ties in enum order; no votes at all means {@link #ROOM_TONE}.
 * <table>
 *   <caption>Keywords</caption>
 *   <tr><th>Bed</th><th>Words</th></tr>
 *   <tr><td>RAIN</td><td>rain, rainy, raining, storm, stormy, drizzle, thunderstorm</td></tr>
 *   <tr><td>OCEAN</td><td>ocean, sea, seaside, beach, wave, waves, shore, coast</td></tr>
 *   <tr><td>WIND</td><td>wind, windy, mountain, mountains, desert, dunes, prairie, meadow, field, fields, cliff, valley</td></tr>
 *   <tr><td>CITY_HUM</td><td>city, street, streets, traffic, urban, downtown</td></tr>
 * </table>
 */
public enum AmbientBed {
    /** Very low brown noise: the air of a quiet room. */
    ROOM_TONE(Set.of(),
            "anoisesrc=color=brown:seed=11:sample_rate=48000,highpass=f=40,lowpass=f=250,volume=0.292"),
    /** Band-passed pink noise swelling and easing with a slow LFO. */
    WIND(Set.of("wind", "windy", "mountain", "mountains", "desert", "dunes", "prairie", "meadow", "field", "fields",
            "cliff", "valley"),
            "anoisesrc=color=pink:seed=23:sample_rate=48000,bandpass=f=600:width_type=q:w=0.7,"
                    + "volume=volume=0.6+0.4*sin(2*PI*0.13*t):eval=frame,volume=0.55"),
    /** High-passed white noise with a slight fast flutter: a steady shower. */
    RAIN(Set.of("rain", "rainy", "raining", "storm", "stormy", "drizzle", "thunderstorm"),
            "anoisesrc=color=white:seed=37:sample_rate=48000,highpass=f=800,lowpass=f=6000,tremolo=f=11:d=0.15,"
                    + "volume=0.089"),
    /** Low-passed brown noise rising and falling about every 9 s, like surf. */
    OCEAN(Set.of("ocean", "sea", "seaside", "beach", "wave", "waves", "shore", "coast"),
            "anoisesrc=color=brown:seed=41:sample_rate=48000,lowpass=f=900,"
                    + "volume=volume=0.55+0.45*sin(2*PI*0.11*t):eval=frame,volume=0.299"),
    /** Low pink-noise rumble with a slow swell: distant traffic. */
    CITY_HUM(Set.of("city", "street", "streets", "traffic", "urban", "downtown"),
            "anoisesrc=color=pink:seed=53:sample_rate=48000,highpass=f=60,lowpass=f=500,tremolo=f=0.3:d=0.3,"
                    + "volume=0.473");

    /** Only the beginning of each prompt is read. */
    static final int MAX_PROMPT_CHARS = MotionPromptParser.MAX_PROMPT_CHARS;

    private final Set<String> words;
    private final String filter;

    AmbientBed(Set<String> words, String filter) {
        this.words = words;
        this.filter = filter;
    }

    /**
     * The bed as a filter chain with no input and one mono, 48 kHz, endless output; the caller trims it and
     * converts it to stereo. Fixed text: nothing from a prompt ever goes into it.
     */
    public String filter() {
        return filter;
    }

    /** See the class documentation; null or empty lists and null prompts are fine. */
    public static AmbientBed pick(List<String> prompts) {
        Map<AmbientBed, Integer> votes = new EnumMap<>(AmbientBed.class);
        if (prompts != null) {
            for (String prompt : prompts) {
                AmbientBed vote = vote(prompt);
                if (vote != null) {
                    votes.merge(vote, 1, Integer::sum);
                }
            }
        }
        AmbientBed best = ROOM_TONE;
        int bestVotes = 0;
        for (AmbientBed bed : values()) { // enum order: the first of equals wins
            int count = votes.getOrDefault(bed, 0);
            if (count > bestVotes) {
                best = bed;
                bestVotes = count;
            }
        }
        return best;
    }

    private static AmbientBed vote(String prompt) {
        Map<AmbientBed, Integer> hits = new EnumMap<>(AmbientBed.class);
        for (String word : MotionPromptParser.words(prompt)) {
            for (AmbientBed bed : values()) {
                if (bed.words.contains(word)) {
                    hits.merge(bed, 1, Integer::sum);
                }
            }
        }
        AmbientBed best = null;
        int bestHits = 0;
        for (AmbientBed bed : values()) {
            int count = hits.getOrDefault(bed, 0);
            if (count > bestHits) {
                best = bed;
                bestHits = count;
            }
        }
        return best;
    }
}
