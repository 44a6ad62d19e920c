package dev.reelroute.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.ProducerTemplate;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/**
 * Storage in a directory under the data dir, through camel-file: a store is written under a temporary name
 * ({@link #PARTIAL_PREFIX}) and renamed into place; reading for FFmpeg is the stored file itself, with no copy.
 */
public class FilesystemStorage extends RoutedStorage {
    /** The name a file has in the directory until it is whole. */
    static final String PARTIAL_PREFIX = ".part-";

    private final Path root;

    public FilesystemStorage(Path root, ProducerTemplate routes) throws IOException {
        super(routes);
        this.root = Files.createDirectories(root).toRealPath();
    }

    private Path pathOf(String key) {
        Path path = root.resolve(Storage.requireSafeKey(key)).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("Invalid storage key");
        }
        return path;
    }

    @Override
    public boolean isBucket() {
        return false;
    }

    /** Files replace what is there under the same key only once whole; camel-file keeps writes inside the root. */
    @Override
    public String endpointUri() {
        return "file:" + root + "?tempPrefix=" + PARTIAL_PREFIX + "&fileExist=Override&eagerDeleteTargetFile=false";
    }

    @Override
    protected boolean isMissing(Exception failure) {
        return false;
    }

    @Override
    public Path storedFile(String key) throws IOException {
        Path path = pathOf(key);
        if (!Files.isRegularFile(path)) {
            throw new IOException("Stored object is missing: " + key);
        }
        return path;
    }

    @Override
    public void deleteStoredFile(String key) throws IOException {
        Files.deleteIfExists(pathOf(key));
    }

    @Override
    public void removePartial(String key) throws IOException {
        Path target = pathOf(key);
        Files.deleteIfExists(target.resolveSibling(PARTIAL_PREFIX + target.getFileName()));
    }

    @Override
    public Optional<Resource> open(String key) {
        Path path = pathOf(key);
        return Files.isRegularFile(path) ? Optional.of(new FileSystemResource(path)) : Optional.empty();
    }

    /** Writes, reads back and removes a small file in the storage directory: the readiness check. */
    public void checkWritable() throws IOException {
        Path probe = Files.createTempFile(root, ".health-", ".tmp");
        try {
            Files.writeString(probe, "ok");
            if (!"ok".equals(Files.readString(probe))) {
                throw new IOException("Storage directory did not read back what was written");
            }
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    public Path root() {
        return root;
    }
}
