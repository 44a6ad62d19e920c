package dev.reelroute.live;

import dev.reelroute.web.ApiPrincipals;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.security.ApiPrincipal;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code Prefer: wait=N} on the status reads: the step before the read holds the request until the job changes
 * (status, progress or stage) or N seconds pass; the step after the answer adds {@code Preference-Applied}. A job
 * that has ended answers at once (it will not change). Each held read keeps its request thread, so at most
 * {@code reelroute.live.max-waiters} are held at once per instance; past that a read answers at once without
 * {@code Preference-Applied}, leaving the rest of the API its threads. A job that is not the caller's (or not of
 * the surface's kind) is not waited on: the read that follows answers its 404 at once.
 */
@Component("statusWaits")
public class StatusWaits {
    public static final String PREFER = "Prefer";
    public static final String PREFERENCE_APPLIED = "Preference-Applied";
    static final String APPLIED_PROPERTY = "preferWaitApplied";

    private final JobStore jobs;
    private final JobWatch watch;
    private final int maxWait;
    private final Semaphore waiters;
    private final AtomicInteger holding = new AtomicInteger();
    private final AtomicLong heldSinceStart = new AtomicLong();

    public StatusWaits(JobStore jobs, JobWatch watch, LiveProperties properties) {
        this.jobs = jobs;
        this.watch = watch;
        this.maxWait = properties.maxWait();
        this.waiters = new Semaphore(properties.maxWaiters());
    }

    /** Reads held right now, watching their job for a change (for tests and metrics). */
    public int held() {
        return holding.get();
    }

    /** Reads held since start; a read answered at once never counts (for tests and metrics). */
    public long heldSinceStart() {
        return heldSinceStart.get();
    }

    /** GET /api/status/{jobId}: a job of any kind. */
    public void holdAnyKind(Exchange exchange) throws InterruptedException {
        hold(exchange, null);
    }

    /** GET /api/v1/video-jobs/{jobId}. */
    public void holdVideoJob(Exchange exchange) throws InterruptedException {
        hold(exchange, Job.KIND_VIDEO_JOB);
    }

    /** GET /api/v1/jobs/{jobId}. */
    public void holdStyleJob(Exchange exchange) throws InterruptedException {
        hold(exchange, Job.KIND_STYLE_TRANSFER);
    }

    /** After the answer: says the wait was honoured. */
    public void applied(Exchange exchange) {
        Integer seconds = exchange.getProperty(APPLIED_PROPERTY, Integer.class);
        if (seconds != null) {
            exchange.getMessage().setHeader(PREFERENCE_APPLIED, "wait=" + seconds);
        }
    }

    private void hold(Exchange exchange, String kind) throws InterruptedException {
        OptionalInt wait = PreferWait.parse(exchange.getMessage().getHeader(PREFER, String.class), maxWait);
        ApiPrincipal principal = exchange.getProperty(ApiPrincipals.PROPERTY, ApiPrincipal.class);
        String jobId = exchange.getMessage().getHeader("jobId", String.class);
        if (wait.isEmpty() || principal == null) {
            return;
        }
        Optional<Job> seen = jobs.findOwned(jobId, principal.accountId(), kind);
        if (seen.isEmpty()) {
            return;
        }
        if (seen.get().status().isTerminal()) {
            exchange.setProperty(APPLIED_PROPERTY, wait.getAsInt());
            return;
        }
        if (!waiters.tryAcquire()) {
            return; // too many held already: answer now, and do not claim the preference was applied
        }
        exchange.setProperty(APPLIED_PROPERTY, wait.getAsInt());
        String before = JobWatch.fingerprint(seen.get());
        CompletableFuture<Boolean> changed = new CompletableFuture<>();
        try (JobWatch.Registration ignored = watch.watch(jobId, job -> {
            if (!JobWatch.fingerprint(job.orElse(null)).equals(before)) {
                changed.complete(true);
            }
        })) {
            holding.incrementAndGet();
            heldSinceStart.incrementAndGet();
            try {
                changed.get(wait.getAsInt(), TimeUnit.SECONDS);
            } finally {
                holding.decrementAndGet();
            }
        } catch (TimeoutException unchanged) {
            // N seconds without a change: answer with the state as it is
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible);
        } finally {
            waiters.release();
        }
    }
}
