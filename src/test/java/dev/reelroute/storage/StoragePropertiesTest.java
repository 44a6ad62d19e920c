package dev.reelroute.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class StoragePropertiesTest {
    private static StorageProperties.S3 s3(String accessKey, String secretKey, Duration linkTtl, DataSize partSize,
                                           String endpoint) {
        return new StorageProperties.S3("reelroute", "us-east-1", endpoint, true, accessKey, secretKey, linkTtl,
                false, partSize);
    }

    private static StorageProperties.S3 valid() {
        return s3("AKIAEXAMPLE", "wJalrXUtnFEMI-secret", Duration.ofHours(24), DataSize.ofMegabytes(25),
                "http://127.0.0.1:9000");
    }

    @Test
    void theSecretKeyNeverShowsInTheSettingsText() {
        assertThat(valid().toString()).doesNotContain("wJalrXUtnFEMI-secret", "AKIAEXAMPLE")
                .contains("secretKey=set", "bucket=reelroute");
        assertThat(new StorageProperties(StorageProperties.Type.S3, valid()).toString())
                .doesNotContain("wJalrXUtnFEMI-secret");
    }

    @Test
    void sensibleSettingsPassAndTheTypeDefaultsToFilesystem() {
        assertThat(valid().validated().endpointUri()).hasToString("http://127.0.0.1:9000");
        assertThat(s3(null, null, Duration.ofDays(7), DataSize.ofMegabytes(5), "").validated().endpointUri()).isNull();
        assertThat(new StorageProperties(null, null).type()).isEqualTo(StorageProperties.Type.FILESYSTEM);
    }

    @Test
    void whatS3WouldRefuseLaterIsRefusedAtStartupNamingTheSetting() {
        assertThatThrownBy(() -> s3(null, null, Duration.ofDays(8), DataSize.ofMegabytes(25), "").validated())
                .hasMessageContaining("link-ttl");
        assertThatThrownBy(() -> s3(null, null, Duration.ofMillis(500), DataSize.ofMegabytes(25), "").validated())
                .hasMessageContaining("link-ttl");
        assertThatThrownBy(() -> s3(null, null, Duration.ofHours(1), DataSize.ofMegabytes(4), "").validated())
                .hasMessageContaining("part-size");
        assertThatThrownBy(() -> s3("AKIAEXAMPLE", "", Duration.ofHours(1), DataSize.ofMegabytes(25), "").validated())
                .hasMessageContaining("access-key and secret-key go together");
        assertThatThrownBy(() -> s3(null, null, Duration.ofHours(1), DataSize.ofMegabytes(25), "minio:9000").validated())
                .hasMessageContaining("endpoint");
        assertThatThrownBy(() -> new StorageProperties(StorageProperties.Type.S3, null).checkedS3())
                .hasMessageContaining("reelroute.storage.s3");
    }
}
