package dev.reelroute.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;

/** Storage in a directory under the data dir. Writes go to a temporary name and are renamed into place. */
public class FilesystemStorage implements Storage {
    private final Path root;

    public FilesystemStorage(Path root) throws IOException {
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
    public void put(String key, Path file, String contentType) throws IOException {
        Path target = pathOf(key);
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try {
            try {
                Files.move(file, partial, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException crossDevice) {
                Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(file);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException failed) {
            // a copy cut short (the disk filled up) leaves no half file behind to take the space
            try {
                Files.deleteIfExists(partial);
            } catch (IOException stays) {
                failed.addSuppressed(stays);
            }
            throw failed;
        }
    }

    @Override
    public Optional<Resource> open(String key) {
        Path path = pathOf(key);
        return Files.isRegularFile(path) ? Optional.of(new FileSystemResource(path)) : Optional.empty();
    }

    @Override
    public Path localFile(String key, Path workDir) throws IOException {
        Path path = pathOf(key);
        if (!Files.isRegularFile(path)) {
            throw new IOException("Stored object is missing: " + key);
        }
        return path;
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(pathOf(key));
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
