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

    /** Bound through the enum, so a mistyped type stops the start naming the setting and its values. */
    @Bean
    Storage storage(StorageProperties settings, ReelrouteProperties properties, ProducerTemplate producer)
            throws IOException {
        return switch (settings.type()) {
            case FILESYSTEM -> new FilesystemStorage(properties.dataDir().resolve("storage"), producer);
            case S3 -> new S3Storage(producer, S3Clients.presigner(settings.checkedS3()), settings.checkedS3());
        };
    }

    /** The client the aws2-s3 endpoint names in its URI; Spring closes it on shutdown. */
    @Bean(S3Storage.CLIENT_BEAN)
    @ConditionalOnProperty(name = "reelroute.storage.type", havingValue = "s3")
    S3Client reelrouteS3Client(StorageProperties settings) {
        return S3Clients.client(settings.checkedS3());
    }
}
