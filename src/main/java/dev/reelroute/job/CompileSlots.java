package dev.reelroute.job;

import dev.reelroute.config.ReelrouteProperties;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The compiles this instance runs at once ({@code reelroute.jobs.compile-concurrency}): video-compile takes a slot
 * before its render and gives it back when the job's exchange ends, however it ends; a job past the limit waits its
 * turn, first come first served.
 * <p>
 * Camel's own {@code throttle} does the same but cannot be trusted with it in 4.17: ten seconds after a permit is
 * given back it drops its semaphore even while another exchange holds a permit, and the next exchange then gets a
 * fresh semaphore and runs beside it (fixed after 4.17, where a semaphore in use is kept). Two compiles at once
 * were seen in VideoProjectRunTest.
 */
@Component
public class CompileSlots {
    private final Semaphore slots;

    @Autowired
    public CompileSlots(ReelrouteProperties properties) {
        this(properties.jobs().compileConcurrency());
    }

    public CompileSlots(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("reelroute.jobs.compile-concurrency must be at least 1, was " + concurrency);
        }
        this.slots = new Semaphore(concurrency, true);
    }

    /** Waits for a free slot, held until {@code exchange} completes or fails. */
    public void take(Exchange exchange) throws InterruptedException {
        slots.acquire();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                slots.release();
            }
        });
    }

    /** Slots free now. */
    public int free() {
        return slots.availablePermits();
    }

    /** Compiles waiting for a slot now. */
    public int waiting() {
        return slots.getQueueLength();
    }
}
