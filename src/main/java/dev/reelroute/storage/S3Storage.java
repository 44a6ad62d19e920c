package dev.reelroute.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.Resource;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Storage in one S3 bucket through Camel's aws2-s3 component. Uploads stream from the file (in parts once it is
 * past the part size), downloads stream into the work dir, and links are presigned GET URLs that S3 serves itself,
 * so no byte of a video passes through the app's heap.
 */
public class S3Storage implements Storage, AutoCloseable {
    /** The registry name of the S3 client the endpoint works with (a Spring bean of StorageConfig). */
    public static final String CLIENT_BEAN = "reelrouteS3Client";

    private final ProducerTemplate producer;
    private final S3Presigner presigner;
    private final String bucket;
    private final Duration linkTtl;
    private final String endpoint;

    public S3Storage(ProducerTemplate producer, S3Presigner presigner, StorageProperties.S3 settings) {
        settings.validated();
        this.producer = producer;
        this.presigner = presigner;
        this.bucket = settings.bucket();
        this.linkTtl = settings.linkTtl();
        this.endpoint = "aws2-s3://" + bucket + "?amazonS3Client=#" + CLIENT_BEAN
                + "&autoCreateBucket=" + settings.autoCreateBucket()
                + "&multiPartUpload=true&partSize=" + settings.partSize().toBytes();
    }

    @Override
    public void put(String key, Path file, String contentType) throws IOException {
        Storage.requireSafeKey(key);
        if (!Files.isRegularFile(file)) {
            throw new IOException("Nothing to store under " + key + ": " + file + " is not a file");
        }
        call("upload", key, null, exchange -> {
            exchange.getIn().setHeader(AWS2S3Constants.CONTENT_TYPE, contentType);
            // a File body is sent with RequestBody.fromFile, or read part by part: never whole into memory
            exchange.getIn().setBody(file.toFile());
        });
        // the put consumes the local file, as FilesystemStorage's move does (the component's deleteAfterWrite
        // skips files below the part size)
        Files.deleteIfExists(file);
    }

    @Override
    public Optional<Resource> open(String key) throws IOException {
        Storage.requireSafeKey(key);
        Exchange head = callOrMissing("lookup", key, AWS2S3Operations.headObject);
        return head == null ? Optional.empty()
                : Optional.of(new S3ObjectResource(key, head.getMessage().getBody(HeadObjectResponse.class)));
    }

    @Override
    public Path localFile(String key, Path workDir) throws IOException {
        Storage.requireSafeKey(key);
        Path downloads = workDir.resolve("from-storage").toAbsolutePath().normalize();
        Path target = downloads.resolve(key).normalize();
        if (!target.startsWith(downloads)) {
            throw new IllegalArgumentException("Invalid storage key");
        }
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try (InputStream in = download(key)) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException failed) {
            Files.deleteIfExists(partial);
            throw failed;
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    @Override
    public void delete(String key) throws IOException {
        Storage.requireSafeKey(key);
        // S3 answers 204 for a key that is not there, like deleteIfExists
        call("delete", key, AWS2S3Operations.deleteObject, exchange -> { });
    }

    /** A GET URL S3 serves without credentials until {@code link-ttl} has passed; signing is local, no request. */
    @Override
    public Optional<String> presignedUrl(String key) {
        Storage.requireSafeKey(key);
        return Optional.of(presigner.presignGetObject(request -> request
                        .signatureDuration(linkTtl)
                        .getObjectRequest(get -> get.bucket(bucket).key(key)))
                .url().toString());
    }

    @Override
    public void close() {
        presigner.close();
    }

    private InputStream download(String key) throws IOException {
        Exchange got = callOrMissing("download", key, AWS2S3Operations.getObject);
        if (got == null) {
            throw new IOException("Stored object is missing: " + key);
        }
        ResponseInputStream<?> body = got.getMessage().getBody(ResponseInputStream.class);
        return new AbortingInputStream(body);
    }

    /** The exchange of a lookup, or null when S3 says there is no such key. */
    private Exchange callOrMissing(String action, String key, AWS2S3Operations operation) throws IOException {
        try {
            return call(action, key, operation, exchange -> { });
        } catch (IOException failed) {
            if (failed.getCause() instanceof S3Exception s3 && s3.statusCode() == 404) {
                return null;
            }
            throw failed;
        }
    }

    private Exchange call(String action, String key, AWS2S3Operations operation,
                          Processor request) throws IOException {
        Exchange exchange = producer.send(endpoint, ex -> {
            ex.getIn().setHeader(AWS2S3Constants.KEY, key);
            if (operation != null) {
                ex.getIn().setHeader(AWS2S3Constants.S3_OPERATION, operation);
            }
            request.process(ex);
        });
        Exception failure = exchange.getException();
        if (failure == null) {
            return exchange;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof S3Exception s3) {
                // the message names the status and request id; the request itself (and its signature) is not in it
                throw new IOException("S3 " + action + " of " + bucket + "/" + key + " failed: " + s3.getMessage(), s3);
            }
        }
        throw new IOException("S3 " + action + " of " + bucket + "/" + key + " failed: " + failure, failure);
    }

    /** An object as Spring serves it: its length is known up front, so Range requests get 206 answers. */
    private final class S3ObjectResource extends AbstractResource {
        private final String key;
        private final HeadObjectResponse head;

        S3ObjectResource(String key, HeadObjectResponse head) {
            this.key = key;
            this.head = head;
        }

        @Override
        public String getDescription() {
            return "S3 object " + bucket + "/" + key;
        }

        @Override
        public String getFilename() {
            return key.substring(key.lastIndexOf('/') + 1);
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public long contentLength() {
            return head.contentLength();
        }

        @Override
        public long lastModified() {
            return head.lastModified() == null ? 0 : head.lastModified().toEpochMilli();
        }

        /** A new GET each time, so the resource can be read again (a Range answer reads it from the start). */
        @Override
        public InputStream getInputStream() throws IOException {
            return download(key);
        }
    }

    /**
     * Closing a response stream early would otherwise read the rest of the object to keep the connection (a
     * 100-byte Range of a 500 MB video); aborting drops the connection instead.
     */
    private static final class AbortingInputStream extends FilterInputStream {
        private final ResponseInputStream<?> response;
        private boolean ended;

        AbortingInputStream(ResponseInputStream<?> response) {
            super(response);
            this.response = response;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            ended |= b < 0;
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            ended |= n < 0;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                response.abort();
            }
            super.close();
        }
    }
}
