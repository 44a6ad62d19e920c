package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The service loads its route files by name (a wildcard would have Camel scan the whole packaged jar at start), so a
 * route file added to routes/ but not to application.yaml would silently never run.
 */
class RouteFilesTest {
    private static final Path ROOT = Path.of(System.getProperty("basedir", "")).toAbsolutePath();

    @Test
    void everyRouteFileIsLoadedByNameAndNothingElse() throws IOException {
        Set<String> routeFiles;
        try (Stream<Path> files = Files.list(ROOT.resolve("src/main/resources/routes"))) {
            routeFiles = files.map(file -> "classpath:routes/" + file.getFileName())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(routeFiles).isNotEmpty();

        Map<String, Object> settings;
        try (InputStream in = Files.newInputStream(ROOT.resolve("src/main/resources/application.yaml"))) {
            settings = new Yaml().load(in);
        }
        String included = (String) section(section(settings, "camel"), "main").get("routes-include-pattern");

        assertThat(included).doesNotContain("*").doesNotContain(" ");
        assertThat(new TreeSet<>(Arrays.asList(included.split(",")))).isEqualTo(routeFiles);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }
}
