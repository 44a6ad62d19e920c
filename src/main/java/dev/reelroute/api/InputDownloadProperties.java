package dev.reelroute.api;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How inputs given as URLs (JMS submissions) are fetched, {@code reelroute.input-downloads.*} in application.yaml.
 * Their size limit is the upload limit, {@code spring.servlet.multipart.max-file-size}.
 *
 * @param connectTimeout to open the connection
 * @param readTimeout    for the response headers, and between two chunks of the body
 * @param maxDuration    the whole download, redirects included
 * @param maxRedirects   redirects followed, each target checked like the first URL
 */
@ConfigurationProperties(prefix = "reelroute.input-downloads")
public record InputDownloadProperties(Duration connectTimeout, Duration readTimeout, Duration maxDuration,
                                      int maxRedirects) {
    private static final Duration LONGEST = Duration.ofMinutes(30);
    private static final int MOST_REDIRECTS = 10;

    public InputDownloadProperties {
        requireWithin("connect-timeout", connectTimeout);
        requireWithin("read-timeout", readTimeout);
        requireWithin("max-duration", maxDuration);
        if (maxRedirects < 0 || maxRedirects > MOST_REDIRECTS) {
            throw new IllegalArgumentException("reelroute.input-downloads.max-redirects must be within 0.."
                    + MOST_REDIRECTS + ": " + maxRedirects);
        }
    }

    private static void requireWithin(String name, Duration value) {
        if (value == null || value.toMillis() < 1 || value.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("reelroute.input-downloads." + name + " must be within 1ms.."
                    + LONGEST.toMinutes() + "m: " + value);
        }
    }
}
