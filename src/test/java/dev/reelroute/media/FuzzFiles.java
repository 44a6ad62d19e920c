package dev.reelroute.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One scratch file per fuzz test JVM: the parsers under test read files, and a new file per input would be slow. */
final class FuzzFiles {
    private FuzzFiles() {}

    static Path scratch(String name) {
        try {
            Path file = Files.createTempFile("fuzz-" + name + "-", ".bin");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
