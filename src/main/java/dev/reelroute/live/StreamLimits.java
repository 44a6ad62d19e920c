package dev.reelroute.live;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** Open event streams on this instance, bounded in all and per account ({@code reelroute.live.max-streams*}). */
@Component
public class StreamLimits {
    private final int max;
    private final int maxPerAccount;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perAccount = new ConcurrentHashMap<>();

    public StreamLimits(LiveProperties properties) {
        this.max = properties.maxStreams();
        this.maxPerAccount = properties.maxStreamsPerAccount();
    }

    /** A slot for one more stream of the account, or null when either bound is reached. Close it exactly once. */
    public Runnable acquire(String account) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return null;
        }
        AtomicInteger mine = perAccount.computeIfAbsent(account, a -> new AtomicInteger());
        if (mine.incrementAndGet() > maxPerAccount) {
            mine.decrementAndGet();
            open.decrementAndGet();
            return null;
        }
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                open.decrementAndGet();
                perAccount.computeIfPresent(account, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
            }
        };
    }

    public int open() {
        return open.get();
    }
}
