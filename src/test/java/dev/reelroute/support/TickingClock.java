package dev.reelroute.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves 1 ms per reading (rows get distinct, ordered times), and as far as a test moves it. */
public final class TickingClock extends Clock {
    private final AtomicLong millis;

    public TickingClock(Instant start) {
        millis = new AtomicLong(start.toEpochMilli());
    }

    public void advance(Duration by) {
        millis.addAndGet(by.toMillis());
    }

    /** The last reading, without moving the clock. */
    public Instant peek() {
        return Instant.ofEpochMilli(millis.get());
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis.incrementAndGet());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
