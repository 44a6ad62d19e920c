package dev.reelroute.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.test.context.DynamicPropertyRegistry;

final class ProviderTestSupport {
    static final String TOKEN = "r8_SECRET-token-4f2a9c";
    private static final List<ProviderRoutes> OPEN_ROUTES = new CopyOnWriteArrayList<>();

    private ProviderTestSupport() {
    }

    /** Tiny timeouts and backoffs; Retry-After is capped at 3 s. */
    static ProviderSettings settings(URI base) {
        return new ProviderSettings(base, TOKEN, Duration.ofMillis(500), Duration.ofSeconds(2), 3,
                Duration.ofMillis(5), Duration.ofSeconds(3));
    }

    /**
     * An adapter's HTTP calls to {@code base}, through the provider-http routes in a Camel context of their own
     * (closed by {@link #closeRoutes}); the waits Retry-After asks for are told to {@code waits}.
     */
    static ProviderHttp http(String provider, URI base, Consumer<Duration> waits) {
        return http(provider, settings(base), Clock.systemUTC(), waits);
    }

    static ProviderHttp http(String provider, URI base) {
        return http(provider, base, wait -> { });
    }

    static ProviderHttp http(String provider, ProviderSettings settings, Clock clock, Consumer<Duration> waits) {
        ProviderRoutes routes = new ProviderRoutes(settings);
        OPEN_ROUTES.add(routes);
        return new ProviderHttp(ProviderName.of(provider), settings, routes.template(), clock, waits);
    }

    /** Stops the Camel contexts {@link #http} started. */
    static void closeRoutes() {
        OPEN_ROUTES.forEach(ProviderRoutes::close);
        OPEN_ROUTES.clear();
    }

    /**
     * Points a provider of the running service at a scripted server: tiny timeouts and backoffs, one retry, polls
     * 20 ms apart, and {@code maxWait} for a prediction.
     */
    static void registerProvider(DynamicPropertyRegistry registry, String name, ScriptedServer server, String token,
                                 String maxWait) {
        String prefix = "reelroute.providers." + name + ".";
        registry.add(prefix + "base-url", () -> server.base().toString());
        registry.add(prefix + "token", () -> token);
        registry.add(prefix + "connect-timeout", () -> "500ms");
        registry.add(prefix + "read-timeout", () -> "2s");
        registry.add(prefix + "max-retries", () -> "1");
        registry.add(prefix + "initial-backoff", () -> "5ms");
        registry.add(prefix + "max-backoff", () -> "2s");
        registry.add(prefix + "poll-interval", () -> "20ms");
        registry.add(prefix + "max-wait", () -> maxWait);
    }

    /** A Replicate prediction as its API returns it, with urls.get and urls.cancel on the scripted server. */
    static String replicatePrediction(String id, String status, String logs, String output, String error) {
        return "{\"id\":\"" + id + "\",\"status\":\"" + status + "\",\"logs\":\"" + logs + "\",\"output\":" + output
                + ",\"error\":" + (error == null ? "null" : "\"" + error + "\"")
                + ",\"urls\":{\"get\":\"{base}/v1/predictions/" + id + "\",\"cancel\":\"{base}/v1/predictions/" + id
                + "/cancel\"}}";
    }

    /** Neither the exception's message, nor its toString, nor any cause's, carries the token. */
    static void assertNoToken(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(TOKEN);
            assertThat(t.toString()).doesNotContain(TOKEN);
            for (Throwable s : t.getSuppressed()) {
                assertNoToken(s);
            }
        }
    }
}
