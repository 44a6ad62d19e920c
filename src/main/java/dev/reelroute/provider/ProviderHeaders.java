package dev.reelroute.provider;

import java.util.Locale;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * The header filter of the provider-http endpoints ({@code headerFilterStrategy=#providerHeaders}): of a Camel
 * message's headers only Accept goes out as an HTTP header (the body's Content-Type travels with the body,
 * Authorization is added by {@link ProviderHttpClient}), so nothing a route carries leaks to a provider or a CDN.
 * Every response header comes in (Retry-After, Content-Length).
 */
public class ProviderHeaders implements HeaderFilterStrategy {
    private static final Set<String> SENT = Set.of("accept");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !SENT.contains(headerName.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return false;
    }
}
