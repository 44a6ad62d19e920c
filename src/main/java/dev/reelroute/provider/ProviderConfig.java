package dev.reelroute.provider;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The remote providers and one circuit breaker per provider, under the names the provider-call routes look up
 * ({@code <provider>CircuitBreaker}).
 */
@Configuration(proxyBeanMethods = false)
public class ProviderConfig {
    @Bean
    RemoteProviders remoteProviders(ProviderProperties properties, ObjectProvider<ProviderCallObserver> calls) {
        return new RemoteProviders(properties, calls.getIfAvailable(() -> ProviderCallObserver.NONE));
    }

    @Bean("replicateCircuitBreaker")
    CircuitBreaker replicateCircuitBreaker(RemoteProviders providers) {
        return providers.breaker(ProviderName.REPLICATE);
    }

    @Bean("falCircuitBreaker")
    CircuitBreaker falCircuitBreaker(RemoteProviders providers) {
        return providers.breaker(ProviderName.FAL);
    }
}
