package dev.reelroute.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

final class ProviderTestSupport {
    static final String TOKEN = "r8_SECRET-token-4f2a9c";

    private ProviderTestSupport() {
    }

    /** Tiny timeouts and backoffs; Retry-After is capped at 3 s. */
    static ProviderSettings settings(URI base) {
        return new ProviderSettings(base, TOKEN, Duration.ofMillis(500), Duration.ofSeconds(2), 3,
                Duration.ofMillis(5), Duration.ofSeconds(3));
    }

    static RetryingHttp http(String provider, URI base, String scheme) {
        return new RetryingHttp(provider, settings(base), scheme, new ObjectMapper(),
                d -> Thread.sleep(d.toMillis()), Clock.systemUTC());
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
