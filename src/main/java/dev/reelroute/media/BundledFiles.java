package dev.reelroute.media;

import dev.reelroute.config.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files shipped inside the jar that must be real files for another program (the static ffmpeg, the title-card font),
 * copied once to the cache directory ({@code reelroute.cache-dir}, by default {@code ~/.cache/reelroute}).
 */
public final class BundledFiles {

    private BundledFiles() {
    }

    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "reelroute");
    }

    /**
     * {@code target}, copied from the classpath resource unless it is already there. The copy is written under a
     * temporary name and moved into place, so a crash or a second instance extracting at the same time never leaves
     * a partial file under the final name.
     *
     * @throws NoSuchFileException when the classpath has no such resource
     */
    public static Path extract(String resource, Path target, boolean executable) throws IOException {
        if (Files.isRegularFile(target) && (!executable || Files.isExecutable(target))) {
            return target;
        }
        try (InputStream in = BundledFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new NoSuchFileException(resource, null, "not on the classpath");
            }
            AtomicFiles.write(target, partial -> {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(partial,
                        PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
            });
            return target;
        }
    }
}
