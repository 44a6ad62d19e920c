package dev.reelroute.provider;

import org.apache.camel.Exchange;
import org.apache.camel.Predicate;

/**
 * The provider-http routes' beans ({@code providerCallSteps}): as their error handlers' retryWhile, whether a
 * failed call is sent again (and after how long, when the provider said Retry-After); and the download routes'
 * last step. Both are the calling {@link ProviderHttp}'s, found in the exchange.
 */
public class ProviderCallSteps implements Predicate {

    @Override
    public boolean matches(Exchange exchange) {
        ProviderHttp http = exchange.getProperty(ProviderHttp.PROPERTY, ProviderHttp.class);
        return http != null && http.retryAgain(exchange);
    }

    public void storeDownload(Exchange exchange) {
        exchange.getProperty(ProviderHttp.PROPERTY, ProviderHttp.class).storeDownload(exchange);
    }
}
