package dev.reelroute.provider;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one provider. The token comes from the environment; it is sent only in the Authorization header
 * and is left out of {@link #toString()}.
 */
public record ProviderSettings(URI baseUrl, String token, Duration connectTimeout, Duration readTimeout,
                               int maxRetries, Duration initialBackoff, Duration maxBackoff) {
    public ProviderSettings {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (!"https".equals(baseUrl.getScheme()) && !"http".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("baseUrl must be http(s): " + baseUrl);
        }
        if (baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl has no host: " + baseUrl);
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries < 0");
        }
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            baseUrl = URI.create(base.substring(0, base.length() - 1));
        }
    }

    /** Production defaults: 10 s connect, 60 s read, 4 retries, 1 s to 30 s backoff. */
    public static ProviderSettings of(URI baseUrl, String token) {
        return new ProviderSettings(baseUrl, token, Duration.ofSeconds(10), Duration.ofSeconds(60), 4,
                Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** Reads the token from environment variable {@code envVar}; the error names the variable, never a value. */
    public static String tokenFromEnv(String envVar) {
        String value = System.getenv(envVar);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + envVar + " is not set");
        }
        return value.strip();
    }

    @Override
    public String toString() {
        return "ProviderSettings[baseUrl=" + baseUrl + ", token=***, connectTimeout=" + connectTimeout
                + ", readTimeout=" + readTimeout + ", maxRetries=" + maxRetries + ", initialBackoff="
                + initialBackoff + ", maxBackoff=" + maxBackoff + "]";
    }
}
