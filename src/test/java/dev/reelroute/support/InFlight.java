package dev.reelroute.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.apache.camel.CamelContext;

/** Waits on Camel's own record of the exchanges at work, instead of on the clock. */
public final class InFlight {
    private InFlight() {
    }

    /**
     * Returns once no exchange that began in {@code routeId} is still at work on the job (exchange property
     * {@code jobId}): whatever that work would still do to the job, it has done.
     */
    public static void awaitNoneFor(CamelContext camel, String routeId, String jobId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> camel.getInflightRepository().browse(routeId).stream()
                .noneMatch(inflight -> jobId.equals(inflight.getExchange().getProperty("jobId"))));
    }
}
