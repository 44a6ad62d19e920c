package dev.reelroute.storage;

import dev.reelroute.config.ReelrouteProperties;
import java.io.IOException;
import org.apache.camel.ProducerTemplate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/** One Storage bean: a directory under the data dir by default, an S3 bucket with {@code reelroute.storage.type=s3}. */
@Configuration(proxyBeanMethods = false)
public class StorageConfig {
    private static final String TYPE = "reelroute.storage.type";

    @Bean
    @ConditionalOnProperty(name = TYPE, havingValue = "filesystem", matchIfMissing = true)
    Storage filesystemStorage(ReelrouteProperties properties) throws IOException {
        return new FilesystemStorage(properties.dataDir().resolve("storage"));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = TYPE, havingValue = "s3")
    static class S3 {
        /** Named for the aws2-s3 endpoint URI; Spring closes it on shutdown. */
        @Bean(S3Storage.CLIENT_BEAN)
        S3Client reelrouteS3Client(StorageProperties properties) {
            return S3Clients.client(properties.checkedS3());
        }

        @Bean
        Storage s3Storage(ProducerTemplate producer, StorageProperties properties) {
            return new S3Storage(producer, S3Clients.presigner(properties.checkedS3()), properties.checkedS3());
        }
    }
}
