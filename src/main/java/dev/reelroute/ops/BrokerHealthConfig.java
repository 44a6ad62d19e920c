package dev.reelroute.ops;

import jakarta.jms.ConnectionFactory;
import org.springframework.boot.actuate.jms.JmsHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Readiness component {@code broker}: Spring Boot's JMS check (opens a connection and starts it) under the name
 * the operations docs use; Boot's own {@code jms} indicator is switched off (management.health.jms.enabled).
 */
@Configuration(proxyBeanMethods = false)
public class BrokerHealthConfig {
    @Bean
    JmsHealthIndicator brokerHealthIndicator(ConnectionFactory connectionFactory) {
        return new JmsHealthIndicator(connectionFactory);
    }
}
