package dev.reelroute.provider;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The remote providers, one circuit breaker per provider under the names the provider-call routes look up
 * ({@code <provider>CircuitBreaker}), and what the provider-http routes refer to: each provider's HTTP client
 * ({@code <provider>HttpClient}) and redelivery policy ({@code <provider>Redeliveries}), the header filter and the
 * retry and download steps.
 */
@Configuration(proxyBeanMethods = false)
public class ProviderConfig {
    @Bean
    RemoteProviders remoteProviders(ProviderProperties properties, ProducerTemplate routes) {
        return new RemoteProviders(properties, routes);
    }

    @Bean("replicateCircuitBreaker")
    CircuitBreaker replicateCircuitBreaker(RemoteProviders providers) {
        return providers.breaker(ProviderName.REPLICATE);
    }

    @Bean("falCircuitBreaker")
    CircuitBreaker falCircuitBreaker(RemoteProviders providers) {
        return providers.breaker(ProviderName.FAL);
    }

    @Bean(name = "replicateHttpClient", destroyMethod = "close")
    ProviderHttpClient replicateHttpClient(ProviderProperties properties, ObjectProvider<ProviderCallObserver> calls) {
        return httpClient(ProviderName.REPLICATE, properties, calls);
    }

    @Bean(name = "falHttpClient", destroyMethod = "close")
    ProviderHttpClient falHttpClient(ProviderProperties properties, ObjectProvider<ProviderCallObserver> calls) {
        return httpClient(ProviderName.FAL, properties, calls);
    }

    @Bean("replicateRedeliveries")
    RedeliveryPolicy replicateRedeliveries(ProviderProperties properties) {
        return ProviderHttp.redeliveryPolicy(properties.replicate().settings());
    }

    @Bean("falRedeliveries")
    RedeliveryPolicy falRedeliveries(ProviderProperties properties) {
        return ProviderHttp.redeliveryPolicy(properties.fal().settings());
    }

    @Bean("providerHeaders")
    ProviderHeaders providerHeaders() {
        return new ProviderHeaders();
    }

    @Bean("providerCallSteps")
    ProviderCallSteps providerCallSteps() {
        return new ProviderCallSteps();
    }

    private static ProviderHttpClient httpClient(ProviderName provider, ProviderProperties properties,
                                                 ObjectProvider<ProviderCallObserver> calls) {
        return new ProviderHttpClient(provider, properties.endpoint(provider).settings(),
                calls.getIfAvailable(() -> ProviderCallObserver.NONE));
    }
}
