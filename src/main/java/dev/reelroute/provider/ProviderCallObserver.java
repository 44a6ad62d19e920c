package dev.reelroute.provider;

/**
 * Hears of every HTTP exchange a remote adapter has with its provider (each attempt, retries included): the
 * provider latency metrics. Must not throw.
 */
@FunctionalInterface
public interface ProviderCallObserver {
    ProviderCallObserver NONE = (provider, method, outcome, nanos) -> { };

    /**
     * @param outcome the status class ({@code 2xx}, {@code 4xx}, {@code 5xx} ...) or {@code error} when no answer
     *                came (timeout, connection refused, a body too large)
     */
    void called(String provider, String method, String outcome, long nanos);
}
