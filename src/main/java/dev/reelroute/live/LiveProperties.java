package dev.reelroute.live;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Live job reads: server-sent event streams ({@code GET …/events}) and {@code Prefer: wait=N} status reads.
 *
 * <ul>
 *   <li>{@code pollInterval}: how often watched jobs are read from the database, the fallback that catches changes
 *       whose event never reached this instance (the events topic brings the rest at once);</li>
 *   <li>{@code maxStreams}, {@code maxStreamsPerAccount}: open event streams on this instance, in all and per
 *       account (past either, a 429);</li>
 *   <li>{@code heartbeat}: the interval of the comment line that keeps idle streams (and proxies) alive;</li>
 *   <li>{@code maxStreamDuration}: a stream is closed after this long (clients reconnect);</li>
 *   <li>{@code maxWaiters}: status reads held by {@code Prefer: wait} at once on this instance (each holds a
 *       request thread); past it a read answers at once, without {@code Preference-Applied};</li>
 *   <li>{@code maxWait}: the longest {@code Prefer: wait} honoured, in seconds; longer ones are clamped.</li>
 * </ul>
 */
@ConfigurationProperties(prefix = "reelroute.live")
public record LiveProperties(Duration pollInterval, int maxStreams, int maxStreamsPerAccount, Duration heartbeat,
                             Duration maxStreamDuration, int maxWaiters, int maxWait) {
    public LiveProperties {
        pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
        heartbeat = heartbeat == null ? Duration.ofSeconds(15) : heartbeat;
        maxStreamDuration = maxStreamDuration == null ? Duration.ofHours(1) : maxStreamDuration;
        maxStreams = maxStreams <= 0 ? 200 : maxStreams;
        maxStreamsPerAccount = maxStreamsPerAccount <= 0 ? 10 : maxStreamsPerAccount;
        maxWaiters = maxWaiters <= 0 ? 50 : maxWaiters;
        maxWait = maxWait <= 0 ? 60 : Math.min(maxWait, 60);
    }
}
