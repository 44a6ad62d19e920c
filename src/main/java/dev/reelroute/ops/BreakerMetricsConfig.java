package dev.reelroute.ops;

import dev.reelroute.provider.RemoteProviders;
import io.github.resilience4j.micrometer.tagged.CircuitBreakerMetricNames;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The providers' circuit breakers on the scrape (resilience4j's own binder), renamed into the service's prefix:
 * {@code reelroute_provider_circuitbreaker_state{name,state}} (1 for the current state), calls, failure rate ...
 */
@Configuration(proxyBeanMethods = false)
public class BreakerMetricsConfig {
    @Bean
    TaggedCircuitBreakerMetrics providerBreakerMetrics(RemoteProviders providers) {
        String prefix = "reelroute.provider.circuitbreaker.";
        CircuitBreakerMetricNames names = CircuitBreakerMetricNames.custom()
                .callsMetricName(prefix + "calls")
                .notPermittedCallsMetricName(prefix + "not.permitted.calls")
                .stateMetricName(prefix + "state")
                .bufferedCallsMetricName(prefix + "buffered.calls")
                .slowCallsMetricName(prefix + "slow.calls")
                .failureRateMetricName(prefix + "failure.rate")
                .slowCallRateMetricName(prefix + "slow.call.rate")
                .build();
        return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(names, providers.breakerRegistry());
    }
}
