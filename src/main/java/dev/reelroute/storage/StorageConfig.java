package dev.reelroute.storage;

import dev.reelroute.config.ReelrouteProperties;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class StorageConfig {
    @Bean
    Storage storage(ReelrouteProperties properties) throws IOException {
        return new FilesystemStorage(properties.dataDir().resolve("storage"));
    }
}
