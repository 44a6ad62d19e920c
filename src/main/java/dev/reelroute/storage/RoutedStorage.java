package dev.reelroute.storage;

import dev.reelroute.config.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * A Storage whose stores, reads for FFmpeg and deletes are the routes of {@code storage.camel.yaml}
 * ({@code store-object}, {@code fetch-object}, {@code delete-object}), so each is a step Hawtio shows with its
 * statistics, and the pipelines call the same routes. A backend gives the routes its component's endpoint and the
 * few steps that are plain file work; this class is the Java side of both.
 */
public abstract class RoutedStorage implements Storage {
    /** The header naming the object's key on every storage route. */
    public static final String KEY = "storageKey";
    public static final String CONTENT_TYPE = "storageContentType";
    /** Where {@code fetch-object} puts a download, for a backend whose objects are not local files. */
    public static final String WORK_DIR = "storageWorkDir";

    private final ProducerTemplate routes;

    protected RoutedStorage(ProducerTemplate routes) {
        this.routes = routes;
    }

    /** True when the objects live in a bucket (camel-aws2-s3), false for a directory (camel-file). */
    public abstract boolean isBucket();

    /** The endpoint of the backend's component that the routes' store, fetch and delete steps call. */
    public abstract String endpointUri();

    /** True when the failure says the object is not stored. */
    protected abstract boolean isMissing(Exception failure);

    @Override
    public void put(String key, Path file, String contentType) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Nothing to store under " + key + ": " + file + " is not a file");
        }
        call("direct:store-object", "store", key, exchange -> {
            exchange.getIn().setHeader(CONTENT_TYPE, contentType);
            exchange.getIn().setBody(file.toFile());
        });
    }

    @Override
    public Path localFile(String key, Path workDir) throws IOException {
        Exchange fetched = call("direct:fetch-object", "read", key,
                exchange -> exchange.getIn().setHeader(WORK_DIR, workDir));
        Path local = fetched.getMessage().getBody(Path.class);
        if (local == null) {
            throw new IOException("Storage read of " + key + " gave no file");
        }
        return local;
    }

    @Override
    public void delete(String key) throws IOException {
        call("direct:delete-object", "delete", key, exchange -> { });
    }

    /** The key, if reelroute could have made it: the first step of every storage route. */
    public String checkedKey(String key) {
        return Storage.requireSafeKey(key);
    }

    /** Removes the local file a bucket upload read from (a rename into a directory leaves nothing to remove). */
    public void consumed(java.io.File uploaded) throws IOException {
        Files.deleteIfExists(uploaded.toPath());
    }

    /**
     * {@code fetch-object}'s step after a download: the body into the work dir, whole or not at all (a file cut
     * short is removed).
     */
    public Path saveDownload(InputStream body, String key, Path workDir) throws IOException {
        Path downloads = workDir.resolve("from-storage").toAbsolutePath().normalize();
        Path target = downloads.resolve(Storage.requireSafeKey(key)).normalize();
        if (!target.startsWith(downloads)) {
            throw new IllegalArgumentException("Invalid storage key");
        }
        try (InputStream in = body) {
            AtomicFiles.write(target, partial -> Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING));
        }
        return target;
    }

    // The steps of a backend whose objects are local files (camel-file has no read-in-place or delete of its own).
    // The routes call them only on that branch; Camel checks at start that every step's method exists.

    /** {@code fetch-object}'s step where objects are files: the stored file itself, with no copy. */
    public Path storedFile(String key) throws IOException {
        throw new UnsupportedOperationException("Objects of this storage are not local files");
    }

    /** {@code delete-object}'s step where objects are files. */
    public void deleteStoredFile(String key) throws IOException {
        throw new UnsupportedOperationException("Objects of this storage are not local files");
    }

    /** {@code store-object}'s last step where objects are files: what a store cut short left, removed. */
    public void removePartial(String key) throws IOException {
        throw new UnsupportedOperationException("Objects of this storage are not local files");
    }

    private Exchange call(String route, String action, String key, ExchangeSetup setup) throws IOException {
        Storage.requireSafeKey(key);
        Exchange exchange = routes.send(route, ex -> {
            ex.getIn().setHeader(KEY, key);
            setup.apply(ex);
        });
        Exception failure = exchange.getException();
        if (failure == null) {
            return exchange;
        }
        if (isMissing(failure)) {
            throw new IOException("Stored object is missing: " + key, failure);
        }
        throw describe(action, key, failure);
    }

    /** The failure as the caller sees it: an IOException that keeps its cause, so a full disk is still told. */
    protected IOException describe(String action, String key, Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException io) {
                return io;
            }
            if (cause instanceof UncheckedIOException unchecked) {
                return unchecked.getCause();
            }
        }
        return new IOException("Storage " + action + " of " + key + " failed: " + failure.getMessage(), failure);
    }

    @FunctionalInterface
    private interface ExchangeSetup {
        void apply(Exchange exchange) throws IOException;
    }
}
