package dev.reelroute.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and docs/ cannot fall behind the code: every route file and kamelet is on the maps, and every link leads
 * somewhere.
 */
class DocsTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private static final Pattern ROUTE_ROW = Pattern.compile("^\\| \\[?`([\\w-]+)(?:\\.camel\\.yaml)?`", Pattern.MULTILINE);
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern FENCE = Pattern.compile("```.*?```", Pattern.DOTALL);

    @Test
    void theReadmeAndTheArchitecturePageMapEveryRouteFile() throws IOException {
        Set<String> routeFiles = new TreeSet<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("src/main/resources/routes"))) {
            files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".camel.yaml"))
                    .forEach(name -> routeFiles.add(name.substring(0, name.length() - ".camel.yaml".length())));
        }
        assertThat(routeFiles).isNotEmpty();

        assertThat(mapped(firstTable(section(read("README.md"), "## Route map")))).as("README.md's route map")
                .isEqualTo(routeFiles);
        assertThat(mapped(firstTable(section(read("docs/architecture.md"), "### Route files"))))
                .as("docs/architecture.md's route files").isEqualTo(routeFiles);
    }

    @Test
    void theArchitecturePageNamesEveryKamelet() throws IOException {
        Set<String> kamelets = new TreeSet<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("src/main/resources/kamelets"))) {
            files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".kamelet.yaml"))
                    .forEach(name -> kamelets.add(name.substring(0, name.length() - ".kamelet.yaml".length())));
        }
        String section = section(read("docs/architecture.md"), "### Route files");
        String kameletTable = section.substring(section.indexOf("| kamelet"));

        assertThat(mapped(firstTable(kameletTable))).isEqualTo(kamelets);
    }

    /** The rows of the first table in {@code text}, up to the blank line after it. */
    private static String firstTable(String text) {
        int start = text.indexOf("\n|");
        assertThat(start).as("a table").isNotNegative();
        int end = text.indexOf("\n\n", start);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    @Test
    void everyLinkInTheReadmeAndDocsLeadsToAFileAndHeadingThatExist() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(page -> page.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            String text = FENCE.matcher(Files.readString(page)).replaceAll("");
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http(s), mailto: not ours to check
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(linked)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
                } else if (hash >= 0 && !anchors(linked).contains(target.substring(hash + 1))) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    private static Set<String> mapped(String table) {
        Set<String> names = new TreeSet<>();
        Matcher row = ROUTE_ROW.matcher(table);
        while (row.find()) {
            names.add(row.group(1));
        }
        return names;
    }

    /** GitHub's anchors: each heading, lower case, punctuation but hyphens dropped, spaces as hyphens. */
    private static Set<String> anchors(Path markdown) throws IOException {
        Set<String> anchors = new TreeSet<>();
        if (!markdown.toString().endsWith(".md")) {
            return anchors;
        }
        String text = FENCE.matcher(Files.readString(markdown)).replaceAll("");
        for (String line : text.split("\n")) {
            if (line.matches("^#{1,6} .*")) {
                String heading = line.replaceFirst("^#+ ", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(heading.replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    private static String read(String path) throws IOException {
        return Files.readString(ROOT.resolve(path));
    }

    private static String section(String text, String heading) {
        int start = text.indexOf("\n" + heading + "\n");
        assertThat(start).as("a section " + heading).isNotNegative();
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = text.indexOf("\n" + level, start + heading.length() + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
