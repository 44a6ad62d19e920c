package dev.reelroute.support;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.camel.Exchange;

/**
 * What the claim routes (job-claim, take-clip, run-clips-queued) call on {@code runningWork}, in a test's plain Camel context: the
 * worker's name and lease are the caller's ({@link #as}: a test claims as several workers, at once in a race), it
 * works on nothing, and it holds nothing the claims take.
 */
public final class StandInWorker {
    private static final ThreadLocal<Call> CALL = new ThreadLocal<>();

    private record Call(String instanceId, Duration lease) {}

    /**
     * Runs {@code routes} (sent to direct: endpoints, so in this thread) as the worker {@code instanceId} with this
     * lease.
     */
    static <T> T as(String instanceId, Duration lease, Supplier<T> routes) {
        CALL.set(new Call(instanceId, lease));
        try {
            return routes.get();
        } finally {
            CALL.remove();
        }
    }

    public boolean isWorkingOn(String jobId) {
        return false;
    }

    public Timestamp leaseUntil(Timestamp claimedAt) {
        return Timestamp.from(claimedAt.toInstant().plus(CALL.get().lease()));
    }

    public String instanceId() {
        return CALL.get().instanceId();
    }

    public boolean holdClaimedJob(String jobId, Exchange exchange) {
        return true;
    }
}
