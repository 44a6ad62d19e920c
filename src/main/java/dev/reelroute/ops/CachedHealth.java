package dev.reelroute.ops;

import java.time.Duration;
import java.util.function.Supplier;
import org.springframework.boot.actuate.health.Health;

/** A health check's last result, reused for a while: probes come often, the checks touch disks and processes. */
final class CachedHealth {
    private final long ttlNanos;
    private final Supplier<Health> check;
    private Health last;
    private long checkedAt;

    CachedHealth(Duration ttl, Supplier<Health> check) {
        this.ttlNanos = Math.max(0, ttl.toNanos());
        this.check = check;
    }

    synchronized Health get() {
        long now = System.nanoTime();
        if (last == null || now - checkedAt >= ttlNanos) {
            last = check.get();
            checkedAt = System.nanoTime();
        }
        return last;
    }
}
