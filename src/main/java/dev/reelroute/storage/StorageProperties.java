package dev.reelroute.storage;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Where inputs and outputs live, {@code reelroute.storage.*} in application.yaml (the s3 profile switches the type).
 *
 * @param type {@code filesystem} (under the data dir, links served by the app) or {@code s3}
 * @param s3   the bucket and how to reach it; read only when the type is {@code s3}
 */
@ConfigurationProperties(prefix = "reelroute.storage")
public record StorageProperties(Type type, S3 s3) {

    public enum Type { FILESYSTEM, S3 }

    public StorageProperties {
        type = type == null ? Type.FILESYSTEM : type;
    }

    /** The S3 settings, checked: what S3 storage is built from. */
    public S3 checkedS3() {
        if (s3 == null) {
            throw new IllegalArgumentException("reelroute.storage.type=s3 needs the reelroute.storage.s3.* settings");
        }
        return s3.validated();
    }

    /**
     * @param bucket           the one bucket every object goes to
     * @param region           the bucket's region (any valid name for MinIO or s3proxy, which ignore it)
     * @param endpoint         an S3-compatible server instead of AWS, e.g. http://minio:9000; empty means AWS
     * @param pathStyleAccess  http://host/bucket/key instead of http://bucket.host/key (MinIO, s3proxy)
     * @param accessKey        static credentials; empty means the AWS default chain (environment, profile, role)
     * @param secretKey        the secret of {@code accessKey}; never logged
     * @param linkTtl          how long a presigned download link stays valid (SigV4 allows at most 7 days)
     * @param autoCreateBucket create the bucket when it does not exist (tests); production buckets are made by ops
     * @param partSize         uploads at least this large go up in parts of this size, streamed from the file
     */
    public record S3(String bucket, String region, String endpoint, boolean pathStyleAccess, String accessKey,
                     String secretKey, Duration linkTtl, boolean autoCreateBucket, DataSize partSize) {

        /** SigV4 presigned URLs cannot live longer. */
        public static final Duration MAX_LINK_TTL = Duration.ofDays(7);
        /** S3 refuses parts below 5 MiB (but the last). */
        public static final DataSize MIN_PART_SIZE = DataSize.ofMegabytes(5);

        /** Fails fast, naming the setting, on what S3 would refuse later. */
        public S3 validated() {
            require(bucket != null && !bucket.isBlank(), "reelroute.storage.s3.bucket (REELROUTE_S3_BUCKET) is required");
            require(region != null && !region.isBlank(), "reelroute.storage.s3.region (REELROUTE_S3_REGION) is required");
            require(linkTtl != null && linkTtl.toSeconds() >= 1 && linkTtl.compareTo(MAX_LINK_TTL) <= 0,
                    "reelroute.storage.s3.link-ttl must be within 1s..7d (SigV4 presigning): " + linkTtl);
            require(partSize != null && partSize.compareTo(MIN_PART_SIZE) >= 0,
                    "reelroute.storage.s3.part-size must be at least 5MB: " + partSize);
            require(hasStaticCredentials() || blank(accessKey) && blank(secretKey),
                    "reelroute.storage.s3.access-key and secret-key go together: set both, or neither for the AWS"
                            + " default credentials chain");
            if (endpointUri() != null) {
                URI uri = endpointUri();
                require(uri.getScheme() != null && uri.getHost() != null,
                        "reelroute.storage.s3.endpoint must be an absolute http(s) URL: " + endpoint);
            }
            return this;
        }

        /** The endpoint override, or null for AWS itself. */
        public URI endpointUri() {
            return blank(endpoint) ? null : URI.create(endpoint.strip());
        }

        public boolean hasStaticCredentials() {
            return !blank(accessKey) && !blank(secretKey);
        }

        private static boolean blank(String value) {
            return value == null || value.isBlank();
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }

        @Override
        public String toString() {
            return "S3[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + ", pathStyleAccess="
                    + pathStyleAccess + ", accessKey=" + (blank(accessKey) ? "unset" : "set") + ", secretKey="
                    + (blank(secretKey) ? "unset" : "set") + ", linkTtl=" + linkTtl + ", autoCreateBucket="
                    + autoCreateBucket + ", partSize=" + partSize + "]";
        }
    }
}
