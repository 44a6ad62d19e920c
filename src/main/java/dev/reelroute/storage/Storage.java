package dev.reelroute.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.springframework.core.io.Resource;

/** Where inputs and outputs live: a directory on disk by default, an S3 bucket in production. */
public interface Storage {

    /** Stores the file under {@code key}; the local file may be moved away. */
    void put(String key, Path file, String contentType) throws IOException;

    /** A readable resource for serving (with a known length, so Range requests work), if the key exists. */
    Optional<Resource> open(String key) throws IOException;

    /**
     * A local file with the object's bytes for FFmpeg to read: the stored file itself where storage is local,
     * else a copy placed in {@code workDir}.
     */
    Path localFile(String key, Path workDir) throws IOException;

    /** Removes the object; a key that is not stored is no error. */
    void delete(String key) throws IOException;

    /** Deletes every key; one that cannot be deleted goes to {@code leftBehind}, and the others still go. */
    default void deleteEach(Collection<String> keys, BiConsumer<String, Exception> leftBehind) {
        for (String key : keys) {
            try {
                delete(key);
            } catch (IOException | RuntimeException failed) {
                leftBehind.accept(key, failed);
            }
        }
    }

    /**
     * A URL the client fetches the object from directly, valid for a limited time; empty where the app itself
     * serves stored files (the signed /files/ links of {@link LinkSigner}).
     */
    default Optional<String> presignedUrl(String key) {
        return Optional.empty();
    }

    /** Keys are made by reelroute only; this guards against anything else ever reaching a path. */
    static String requireSafeKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 300 || !key.matches("[A-Za-z0-9][A-Za-z0-9._/-]*")
                || key.contains("..") || key.contains("//")) {
            throw new IllegalArgumentException("Invalid storage key");
        }
        return key;
    }
}
