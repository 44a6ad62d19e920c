package dev.reelroute.config;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files written whole or not at all, so a reader (or a crash) never sees half of one. */
public final class AtomicFiles {

    /** What writes the file's content; it gets a temporary sibling of the target to write to. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path partial) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} through a hidden temporary sibling ({@code .<name>-….part}) that is moved into place once
     * {@code content} has written it; if writing fails, the sibling is removed and the target is left as it was.
     */
    public static Path write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, "." + target.getFileName() + "-", ".part");
        try {
            content.writeTo(partial);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException notOnThisFileSystem) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
