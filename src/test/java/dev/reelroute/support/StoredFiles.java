package dev.reelroute.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What filesystem storage holds under a test service's data dir: the keys of its files, relative to storage/. */
public final class StoredFiles {
    private StoredFiles() {}

    public static List<String> keys(Path dataDir) throws IOException {
        Path storage = dataDir.resolve("storage");
        if (!Files.exists(storage)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(storage)) {
            return files.filter(Files::isRegularFile).map(file -> storage.relativize(file).toString()).toList();
        }
    }

    public static long count(Path dataDir) throws IOException {
        return keys(dataDir).size();
    }
}
