package dev.reelroute.provider;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * How reelroute reaches the remote providers ({@code reelroute.providers.*} in application.yaml). Tokens come from
 * the environment only and are left out of {@link #toString()}.
 *
 * @param maxImageBytes  largest stored image sent to a provider (as a data: URI, so it travels in the JSON body)
 * @param maxOutputBytes largest generated video downloaded
 * @param maxLogLines    provider log lines kept on one job (the job keeps 500 lines in all)
 */
@ConfigurationProperties(prefix = "reelroute.providers")
public record ProviderProperties(Endpoint replicate, Endpoint fal, CircuitBreakerSettings circuitBreaker,
                                 DataSize maxImageBytes, DataSize maxOutputBytes, int maxLogLines) {

    public ProviderProperties {
        Objects.requireNonNull(replicate, "reelroute.providers.replicate");
        Objects.requireNonNull(fal, "reelroute.providers.fal");
        Objects.requireNonNull(circuitBreaker, "reelroute.providers.circuit-breaker");
        Objects.requireNonNull(maxImageBytes, "reelroute.providers.max-image-bytes");
        Objects.requireNonNull(maxOutputBytes, "reelroute.providers.max-output-bytes");
        if (maxLogLines < 0 || maxLogLines > 500) {
            throw new IllegalArgumentException("reelroute.providers.max-log-lines must be 0..500");
        }
    }

    public Endpoint endpoint(ProviderName provider) {
        return switch (provider) {
            case REPLICATE -> replicate;
            case FAL -> fal;
        };
    }

    /**
     * One provider's address, token and time limits.
     *
     * @param pollInterval how long to wait between two status polls of a prediction
     * @param maxWait      how long a prediction may take, queue included, before it is cancelled
     */
    public record Endpoint(URI baseUrl, String token, Duration connectTimeout, Duration readTimeout, int maxRetries,
                           Duration initialBackoff, Duration maxBackoff, Duration pollInterval, Duration maxWait) {
        public Endpoint {
            token = token == null ? "" : token.strip();
            Objects.requireNonNull(pollInterval, "poll-interval");
            Objects.requireNonNull(maxWait, "max-wait");
            if (pollInterval.isNegative() || pollInterval.isZero() || maxWait.compareTo(pollInterval) < 0) {
                throw new IllegalArgumentException("poll-interval must be > 0 and max-wait at least poll-interval");
            }
        }

        public boolean configured() {
            return !token.isEmpty();
        }

        public ProviderSettings settings() {
            return new ProviderSettings(baseUrl, token, connectTimeout, readTimeout, maxRetries, initialBackoff,
                    maxBackoff);
        }

        @Override
        public String toString() {
            return "Endpoint[baseUrl=" + baseUrl + ", token=" + (configured() ? "***" : "(not set)")
                    + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", maxRetries="
                    + maxRetries + ", pollInterval=" + pollInterval + ", maxWait=" + maxWait + "]";
        }
    }

    /**
     * One resilience4j circuit breaker per provider, all with these settings: the breaker opens when at least
     * {@code failureRateThreshold} percent of the last {@code slidingWindowSize} calls failed (once
     * {@code minimumCalls} were made), refuses every call for {@code waitInOpenState}, then lets
     * {@code halfOpenCalls} trial calls through.
     */
    public record CircuitBreakerSettings(float failureRateThreshold, int slidingWindowSize, int minimumCalls,
                                         Duration waitInOpenState, int halfOpenCalls) {
        public CircuitBreakerSettings {
            Objects.requireNonNull(waitInOpenState, "wait-in-open-state");
        }
    }
}
