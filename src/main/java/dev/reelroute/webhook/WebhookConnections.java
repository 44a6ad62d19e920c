package dev.reelroute.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The connections of webhook deliveries (camel-http, {@code camel.component.http.client-connection-manager}): a
 * host name resolves through {@link WebhookUrlGuard#publicAddresses}, so the attempt connects only to addresses
 * the guard approves at that moment. The URL check before each attempt cannot be undone by a DNS answer that
 * changes between the check and the connection.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookConnections {

    /** The host resolved to a refused address (or not at all) when the attempt connected. */
    public static final class RefusedAtConnectException extends UnknownHostException {
        RefusedAtConnectException(String message) {
            super(message);
        }
    }

    @Bean(destroyMethod = "close")
    HttpClientConnectionManager webhookConnectionManager(WebhookUrlGuard guard,
            @Value("${camel.component.http.connect-timeout:15000}") long connectTimeoutMs,
            @Value("${camel.component.http.so-timeout:15000}") long socketTimeoutMs) {
        DnsResolver approvedAddressesOnly = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                try {
                    return guard.publicAddresses(host, "webhookUrl");
                } catch (WebhookUrlGuard.RejectedUrlException refused) {
                    throw new RefusedAtConnectException(refused.getMessage());
                }
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(approvedAddressesOnly)
                // camel-http's own defaults for the pool it would have made
                .setMaxConnTotal(200)
                .setMaxConnPerRoute(20)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
                        .setSocketTimeout(Timeout.ofMilliseconds(socketTimeoutMs))
                        .build())
                .build();
    }
}
