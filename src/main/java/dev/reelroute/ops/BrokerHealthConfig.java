package dev.reelroute.ops;

import jakarta.jms.ConnectionFactory;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.jms.JmsHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Readiness component {@code broker}: Spring Boot's JMS check (opens a connection and starts it) under the name
 * the operations docs use, answering within {@code reelroute.health.broker-timeout}: with the broker gone, opening a
 * connection waits on the client's reconnect attempts (20 s and more), far past any probe's patience. Boot's own
 * {@code jms} indicator is switched off (management.health.jms.enabled).
 */
@Configuration(proxyBeanMethods = false)
public class BrokerHealthConfig {
    @Bean
    BoundedHealthIndicator brokerHealthIndicator(ConnectionFactory connectionFactory,
                                                 @Value("${reelroute.health.broker-timeout:2s}") Duration bound) {
        return new BoundedHealthIndicator("broker", new JmsHealthIndicator(connectionFactory), bound);
    }
}
