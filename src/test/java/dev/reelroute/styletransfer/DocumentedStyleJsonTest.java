package dev.reelroute.styletransfer;

import dev.reelroute.media.Fixtures;
import dev.reelroute.media.MediaProbe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The StyleJSON example in docs/style-transfer.md is what the analysis measures on the input the page names: the section's
 * ffmpeg command is run as written, the video it makes is analysed, and every field of the documented JSON must
 * match, with room only for the last digits of floating point (and small differences between FFmpeg builds).
 */
class DocumentedStyleJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How far a measured number may be from the documented one, by field; 0.01 for the rest (0–1 scales, s, fps). */
    private static final Map<String, Double> TOLERANCE = Map.of("hue", 2.0, "integrated_lufs", 0.5,
            "loudness_range_lu", 1.0, "true_peak_dbtp", 0.5, "width", 0.0, "height", 0.0);
    /** How far a palette colour's channel may be (of 255). */
    private static final int PALETTE_TOLERANCE = 24;

    @TempDir
    Path dir;

    @Test
    void theDocumentedStyleJsonIsWhatTheDocumentedInputMeasures() throws IOException {
        String section = section(Files.readString(Path.of("docs/style-transfer.md")), "## StyleJSON");
        List<String> command = shellWords(block(section, "bash"));
        assertThat(command).as("the input's command").hasSizeGreaterThan(2);
        assertThat(command.get(0)).isEqualTo("ffmpeg");
        Path video = Fixtures.ffmpeg(dir.resolve(command.get(command.size() - 1)),
                command.subList(1, command.size() - 1).toArray(String[]::new));

        MediaProbe probe = new MediaProbe(Fixtures.BINARIES);
        StyleAnalysisCommands analysis = new StyleAnalysisCommands(StyleProperties.DEFAULTS);
        Path work = Files.createDirectories(dir.resolve("analysis"));
        StyleAnalysisRender render = new StyleAnalysisRender(Fixtures.FFMPEG, video, probe.probe(video), work,
                work.resolve("progress.txt"));
        Fixtures.run(analysis.analyze(render));
        JsonNode measured = JSON.valueToTree(analysis.read(render, render.probe()));

        JsonNode documented = JSON.readTree(block(section, "json"));
        List<String> differences = new ArrayList<>();
        compare("", documented, measured, differences);
        assertThat(differences).as("docs/style-transfer.md StyleJSON example vs a real analysis of its input; measured:\n"
                + JSON.writerWithDefaultPrettyPrinter().writeValueAsString(measured)).isEmpty();
    }

    private static void compare(String path, JsonNode documented, JsonNode measured, List<String> differences) {
        String field = path.substring(path.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
        if (documented.isObject() && measured.isObject()) {
            TreeSet<String> names = new TreeSet<>();
            documented.fieldNames().forEachRemaining(names::add);
            measured.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (!documented.has(name) || !measured.has(name)) {
                    differences.add(path + "." + name + ": documented " + documented.get(name) + ", measured "
                            + measured.get(name));
                } else {
                    compare(path + "." + name, documented.get(name), measured.get(name), differences);
                }
            }
        } else if (documented.isArray() && measured.isArray()) {
            if (documented.size() != measured.size()) {
                differences.add(path + ": documented " + documented + ", measured " + measured);
                return;
            }
            for (int i = 0; i < documented.size(); i++) {
                compare(path + "[" + i + "]", documented.get(i), measured.get(i), differences);
            }
        } else if (documented.isNumber() && measured.isNumber()) {
            double tolerance = TOLERANCE.getOrDefault(field, 0.01);
            if (Math.abs(documented.asDouble() - measured.asDouble()) > tolerance + 1e-9) {
                differences.add(path + ": documented " + documented + ", measured " + measured
                        + " (±" + tolerance + ")");
            }
        } else if (field.equals("palette") && documented.isTextual() && measured.isTextual()) {
            if (!closeColours(documented.asText(), measured.asText())) {
                differences.add(path + ": documented " + documented + ", measured " + measured);
            }
        } else if (!documented.equals(measured)) {
            differences.add(path + ": documented " + documented + ", measured " + measured);
        }
    }

    private static boolean closeColours(String documented, String measured) {
        if (!documented.matches("#[0-9a-f]{6}") || !measured.matches("#[0-9a-f]{6}")) {
            return documented.equals(measured);
        }
        for (int channel = 0; channel < 3; channel++) {
            int a = Integer.parseInt(documented.substring(1 + 2 * channel, 3 + 2 * channel), 16);
            int b = Integer.parseInt(measured.substring(1 + 2 * channel, 3 + 2 * channel), 16);
            if (Math.abs(a - b) > PALETTE_TOLERANCE) {
                return false;
            }
        }
        return true;
    }

    /** From the heading to the next heading of the same or a higher level. */
    private static String section(String readme, String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertThat(start).as("docs/style-transfer.md has " + heading).isNotNegative();
        Matcher next = Pattern.compile("\n#{2,3} ").matcher(readme);
        int end = next.find(start + heading.length() + 1) ? next.start() : readme.length();
        return readme.substring(start, end);
    }

    /** The first fenced block of that language. */
    private static String block(String section, String language) {
        Matcher block = Pattern.compile("```" + language + "\n(.*?)\n```", Pattern.DOTALL).matcher(section);
        assertThat(block.find()).as("a ```" + language + " block in " + section).isTrue();
        return block.group(1);
    }

    /** A shell command's words: quotes (single and double) and backslash line continuations, as sh reads them. */
    static List<String> shellWords(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (Iterator<Character> it = command.chars().mapToObj(c -> (char) c).iterator(); it.hasNext(); ) {
            char c = it.next();
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (c == '\\' && it.hasNext()) {
                char escaped = it.next();
                if (escaped != '\n') {
                    word = word == null ? new StringBuilder() : word;
                    word.append(escaped);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        assertThat(quote == 0).as("unclosed quote in " + command).isTrue();
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
