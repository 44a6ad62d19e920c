package dev.reelroute.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
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
 * Storage in one S3 bucket through camel-aws2-s3: stores stream from the file (in parts once it is past the part
 * size), reads for FFmpeg stream into the work dir, and links are presigned GET URLs that S3 serves itself, so no
 * byte of a video passes through the app's heap. Stores, reads and deletes are the storage routes' steps
 * ({@link RoutedStorage}); serving an object for a Range request reads it here, through the same endpoint.
 */
public class S3Storage extends RoutedStorage implements AutoCloseable {
    /** The registry name of the S3 client the endpoint works with (a Spring bean of StorageConfig). */
    public static final String CLIENT_BEAN = "reelrouteS3Client";

    private final ProducerTemplate producer;
    private final S3Presigner presigner;
    private final String bucket;
    private final Duration linkTtl;
    private final String endpoint;

    public S3Storage(ProducerTemplate producer, S3Presigner presigner, StorageProperties.S3 settings) {
        super(producer);
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
    public boolean isBucket() {
        return true;
    }

    @Override
    public String endpointUri() {
        return endpoint;
    }

    @Override
    protected boolean isMissing(Exception failure) {
        return statusOf(failure) == 404;
    }

    /** The message names the status and request id; the request itself (and its signature) is not in it. */
    @Override
    protected IOException describe(String action, String key, Exception failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof S3Exception s3) {
                return new IOException("S3 " + action + " of " + bucket + "/" + key + " failed: " + s3.getMessage(), s3);
            }
        }
        return super.describe(action, key, failure);
    }

    @Override
    public Optional<Resource> open(String key) throws IOException {
        Storage.requireSafeKey(key);
        Exchange head = callOrMissing("lookup", key, AWS2S3Operations.headObject);
        return head == null ? Optional.empty()
                : Optional.of(new S3ObjectResource(key, head.getMessage().getBody(HeadObjectResponse.class)));
    }

    /** A failed copy aborts the connection instead of reading the rest of the object to keep it. */
    @Override
    public Path saveDownload(InputStream body, String key, Path workDir) throws IOException {
        return super.saveDownload(body instanceof ResponseInputStream<?> response
                ? new AbortingInputStream(response) : body, key, workDir);
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
            if (statusOf(failed) == 404) {
                return null;
            }
            throw failed;
        }
    }

    private Exchange call(String action, String key, AWS2S3Operations operation,
                          Processor request) throws IOException {
        Exchange exchange = producer.send(endpoint, ex -> {
            ex.getIn().setHeader(AWS2S3Constants.KEY, key);
            ex.getIn().setHeader(AWS2S3Constants.S3_OPERATION, operation);
            request.process(ex);
        });
        Exception failure = exchange.getException();
        if (failure != null) {
            throw describe(action, key, failure);
        }
        return exchange;
    }

    private static int statusOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof S3Exception s3) {
                return s3.statusCode();
            }
        }
        return 0;
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
