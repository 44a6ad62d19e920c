package dev.reelroute.provider;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.apache.camel.ProducerTemplate;

/**
 * The remote adapters and their circuit breakers, one of each per provider. The breakers are the ones the routes'
 * circuitBreaker EIP uses (bound as {@code replicateCircuitBreaker} and {@code falCircuitBreaker}), so a cancel
 * made outside the routes counts in the same breaker.
 */
public class RemoteProviders {
    private final Map<ProviderName, RemoteVideoProvider> adapters = new EnumMap<>(ProviderName.class);
    private final Map<ProviderName, CircuitBreaker> breakers = new EnumMap<>(ProviderName.class);
    private final ProviderProperties properties;
    private final CircuitBreakerRegistry breakerRegistry;

    /** {@code routes} sends the adapters' calls to the provider-http routes. */
    public RemoteProviders(ProviderProperties properties, ProducerTemplate routes) {
        this.properties = properties;
        this.breakerRegistry = CircuitBreakerRegistry.of(breakerConfig(properties.circuitBreaker()));
        for (ProviderName provider : ProviderName.values()) {
            ProviderHttp http = new ProviderHttp(provider, properties.endpoint(provider).settings(), routes);
            adapters.put(provider, switch (provider) {
                case REPLICATE -> new ReplicateProvider(http);
                case FAL -> new FalProvider(http);
            });
            breakers.put(provider, breakerRegistry.circuitBreaker(provider.id()));
        }
    }

    /** Every provider's breaker, for the circuit breaker metrics. */
    public CircuitBreakerRegistry breakerRegistry() {
        return breakerRegistry;
    }

    public RemoteVideoProvider adapter(ProviderName provider) {
        return adapters.get(provider);
    }

    public CircuitBreaker breaker(ProviderName provider) {
        return breakers.get(provider);
    }

    public ProviderProperties.Endpoint endpoint(ProviderName provider) {
        return properties.endpoint(provider);
    }

    static CircuitBreakerConfig breakerConfig(ProviderProperties.CircuitBreakerSettings settings) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRateThreshold())
                .waitDurationInOpenState(settings.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                // only the provider's own trouble opens the breaker: an input it refused, an answer we could not
                // read or a prediction that failed says nothing about whether it is up
                .ignoreException(failure -> !isProviderTrouble(failure))
                .build();
    }

    /** A provider failure that retrying could fix: 5xx, 429, timeouts, connection errors, a broken download. */
    static boolean isProviderTrouble(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProviderException e) {
                return e.retryable();
            }
        }
        return false;
    }
}
