package dev.reelroute.ops;

import dev.reelroute.storage.FilesystemStorage;
import dev.reelroute.storage.S3Storage;
import dev.reelroute.storage.Storage;
import dev.reelroute.storage.StorageProperties;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Readiness component {@code storage}: with filesystem storage, a file can be written and removed in the storage
 * directory; with S3, the bucket answers a HEAD (it exists and the credentials reach it). The result is kept for
 * {@code reelroute.health.storage-cache} so frequent probes do not each touch the disk or S3.
 */
@Component
public class StorageHealthIndicator implements HealthIndicator {
    private final Storage storage;
    private final StorageProperties settings;
    private final ObjectProvider<S3Client> s3;
    private final CachedHealth cached;

    public StorageHealthIndicator(Storage storage, StorageProperties settings,
                                  @Qualifier(S3Storage.CLIENT_BEAN) ObjectProvider<S3Client> s3,
                                  @Value("${reelroute.health.storage-cache:5s}") Duration cache) {
        this.storage = storage;
        this.settings = settings;
        this.s3 = s3;
        this.cached = new CachedHealth(cache, this::check);
    }

    @Override
    public Health health() {
        return cached.get();
    }

    private Health check() {
        try {
            if (storage instanceof FilesystemStorage filesystem) {
                filesystem.checkWritable();
                return Health.up().withDetail("type", "filesystem").build();
            }
            S3Client client = s3.getIfAvailable();
            if (client == null) {
                return Health.unknown().withDetail("type", storage.getClass().getSimpleName()).build();
            }
            String bucket = settings.checkedS3().bucket();
            client.headBucket(request -> request.bucket(bucket));
            return Health.up().withDetail("type", "s3").withDetail("bucket", bucket).build();
        } catch (Exception e) {
            return Health.down().withDetail("error", e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())).build();
        }
    }
}
