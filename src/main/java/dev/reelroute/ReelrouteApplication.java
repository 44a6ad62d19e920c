package dev.reelroute;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ReelrouteApplication {
    public static void main(String[] args) {
        SpringApplication.run(ReelrouteApplication.class, args);
    }
}
