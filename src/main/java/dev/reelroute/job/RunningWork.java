package dev.reelroute.job;

import dev.reelroute.config.InstanceIdentity;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.config.Texts;
import dev.reelroute.config.WorkDirs;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The jobs and project runs this instance is working on, with their leases and limits. The watchdog
 * ({@link #watch}, on a timer) renews the leases, and stops work that ran past its time limit or that ended
 * elsewhere (cancelled, deleted, taken over): it kills the work's processes, and the work's route, failing on that or
 * on {@link #ensureRunning}, ends it with the reason.
 */
@Component("runningWork")
public class RunningWork {
    private static final Logger log = LoggerFactory.getLogger(RunningWork.class);

    /** Why work was stopped from outside its route. */
    public enum StopReason {
        /** Ran past its time limit. */
        TIMED_OUT,
        /** Not active or not this worker's any more: cancelled, deleted, failed or taken over elsewhere. */
        ENDED,
        /** Its workers died too often: it is given up. */
        TOO_MANY_TAKEOVERS
    }

    private record Held(String id, String noun, LeaseStore store, long startedNanos, Duration limit,
                        AtomicReference<StopReason> stop) {}

    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final JobStore jobs;
    private final Duration jobTimeLimit;
    private final Duration runTimeLimit;
    private final Clock clock;
    private final WorkDirs workDirs;
    private final String instanceId;
    private final ReelrouteProperties.Recovery recovery;
    private volatile long lastRenewalNanos = System.nanoTime();

    public RunningWork(JobStore jobs, WorkDirs workDirs, InstanceIdentity instance, ReelrouteProperties properties,
                       Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
        this.jobTimeLimit = properties.jobs().maxDuration();
        this.runTimeLimit = properties.projects().maxRunDuration();
        this.workDirs = workDirs;
        this.instanceId = instance.id();
        this.recovery = properties.recovery();
    }

    /**
     * Holds a job that claim-job's conditional UPDATE just took for this worker, until its exchange is done; the
     * job's row, read once, gives its take-over count after the claim. A video project's run is claimed twice (its
     * clips go on the clip queue, then its compile): its limit is the runs' and counts from its start.
     */
    public boolean holdClaimedJob(String jobId, Exchange exchange) {
        Job job = jobs.find(jobId).orElse(null);
        if (job == null) {
            return false; // deleted since its claim
        }
        boolean run = Job.KIND_VIDEO_PROJECT.equals(job.kind());
        Duration spent = !run || job.startedAt() == null ? Duration.ZERO
                : Duration.between(job.startedAt(), clock.instant());
        return holdClaimed(jobId, new WorkClaim(true, job.retries()), jobs, run ? runTimeLimit : jobTimeLimit,
                spent.isNegative() ? Duration.ZERO : spent, run ? "run" : "job", exchange).claimed();
    }

    /** When a claim made at {@code claimedAt} lapses unless the watchdog renews it. */
    public Timestamp leaseUntil(Timestamp claimedAt) {
        return Timestamp.from(claimedAt.toInstant().plus(recovery.lease()));
    }

    public String instanceId() {
        return instanceId;
    }

    public Duration lease() {
        return recovery.lease();
    }

    /**
     * Holds work that a claim (a conditional UPDATE in a route) just took for this instance, for {@code limit}, until
     * its exchange is done. A take-over first kills whatever the last worker left running on it (a worker killed with
     * SIGKILL leaves its FFmpeg behind) and clears its scratch files; past the allowed number of take-overs the work
     * is given up (the caller's failure handling ends it with this method's exception). The caller has checked that
     * this instance does not work on {@code id} already ({@link #isWorkingOn}): an instance must not take over itself.
     *
     * @param spent how much of {@code limit} the work already used elsewhere: a clip of a project run counts from
     *              the run's start
     * @param noun "job" or "run", for messages
     * @param exchange the work's exchange: when it is done, the work is released
     */
    public WorkClaim holdClaimed(String id, WorkClaim claimed, LeaseStore store, Duration limit, Duration spent,
                                 String noun, Exchange exchange) {
        if (claimed.takenOver()) {
            int killed = WorkProcesses.killAll(workDirs.of(id));
            log.warn("Taking over {} {} (take-over {}); {} process(es) its last worker left were killed", noun, id,
                    claimed.takeovers(), killed);
            try {
                workDirs.delete(id);
            } catch (IOException e) {
                log.warn("Could not clear the scratch files of {} {}: {}", noun, id, e.getMessage());
            }
        }
        held.put(id, new Held(id, noun, store, System.nanoTime() - spent.toNanos(), limit, new AtomicReference<>()));
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                release(id);
            }
        });
        if (claimed.takeovers() > recovery.maxTakeovers()) {
            throw stopped(id, StopReason.TOO_MANY_TAKEOVERS);
        }
        return claimed;
    }

    /** The work has ended (whichever way): no lease to renew; anything it left running is killed. */
    private void release(String id) {
        Held work = held.remove(id);
        if (work != null && work.stop().get() != null) {
            WorkProcesses.killAll(workDirs.of(id));
        }
    }

    /** Whether this instance still works on the job or run: until its exchange is done, however it ended. */
    public boolean isWorkingOn(String id) {
        return held.containsKey(id);
    }

    public Optional<StopReason> stopReason(String id) {
        Held work = held.get(id);
        return work == null ? Optional.empty() : Optional.ofNullable(work.stop().get());
    }

    /** Why the work was stopped, as its user is told; empty while it was not. */
    public Optional<String> stopMessage(String id) {
        return id == null ? Optional.empty() : stopReason(id).map(reason -> stopped(id, reason).getMessage());
    }

    public boolean stopRequested(String id) {
        return stopReason(id).isPresent();
    }

    /** Throws when the work was stopped; called between stages, so a stopped job does not start the next one. */
    public void ensureRunning(String id) {
        Optional<StopReason> reason = stopReason(id);
        if (reason.isPresent()) {
            throw stopped(id, reason.get());
        }
    }

    /** The exception that ends work stopped for {@code reason}, with the message its user sees. */
    public WorkStoppedException stopped(String id, StopReason reason) {
        Held work = held.get(id);
        String noun = work == null ? "job" : work.noun();
        return new WorkStoppedException(reason, switch (reason) {
            case TIMED_OUT -> timeLimitMessage(noun, work == null ? Duration.ZERO : work.limit());
            case ENDED -> "The " + noun + " was ended elsewhere (cancelled, deleted or taken over) while it ran";
            case TOO_MANY_TAKEOVERS -> "The " + noun + " was interrupted " + (recovery.maxTakeovers() + 1)
                    + " times because the worker running it stopped; it is not tried again";
        });
    }

    public static String timeLimitMessage(String noun, Duration limit) {
        return "The " + noun + " ran past its time limit of " + Texts.duration(limit) + " and was stopped";
    }

    /** Stops the work: it is marked and its processes are killed (again on every watch while it is still held). */
    public void stop(String id, StopReason reason) {
        Held work = held.get(id);
        if (work == null) {
            return;
        }
        if (work.stop().compareAndSet(null, reason)) {
            log.warn("Stopping {} {}: {}", work.noun(), id, reason);
        }
        int killed = WorkProcesses.killAll(workDirs.of(id));
        if (killed > 0) {
            log.info("Killed {} process(es) of {} {}", killed, work.noun(), id);
        }
    }

    /** The watchdog's round: stop what ended elsewhere or ran out of time, renew the leases of the rest. */
    public void watch() {
        if (held.isEmpty()) {
            return;
        }
        Map<LeaseStore, List<String>> byStore = new HashMap<>();
        held.values().forEach(work -> byStore.computeIfAbsent(work.store(), store -> new ArrayList<>()).add(work.id()));
        boolean renew = System.nanoTime() - lastRenewalNanos >= recovery.heartbeatInterval().toNanos();
        byStore.forEach((store, ids) -> {
            Set<String> stillHeld = store.stillHeld(ids, instanceId);
            ids.stream().filter(id -> !stillHeld.contains(id)).forEach(id -> stop(id, StopReason.ENDED));
            if (renew) {
                store.renewLeases(stillHeld, instanceId, recovery.lease());
            }
        });
        if (renew) {
            lastRenewalNanos = System.nanoTime();
        }
        long now = System.nanoTime();
        for (Held work : held.values()) {
            if (work.stop().get() != null) {
                stop(work.id(), work.stop().get()); // a process started after the stop
            } else if (now - work.startedNanos() > work.limit().toNanos()) {
                stop(work.id(), StopReason.TIMED_OUT);
            }
        }
    }
}
