package dev.reelroute.live;

import dev.reelroute.web.Envelopes;
import dev.reelroute.web.ErrorBodies;
import dev.reelroute.api.JobViews;
import dev.reelroute.styletransfer.StyleViews;
import dev.reelroute.prompt.VideoJobViews;
import dev.reelroute.config.DaemonThreads;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.project.ProjectStore;
import dev.reelroute.project.RunAccess;
import dev.reelroute.web.ApiException;
import dev.reelroute.web.ApiAuthFilter;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.web.RequestPaths;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * A job's progress as server-sent events, on each surface that has a status read:
 * {@code GET /api/jobs/{jobId}/events}, {@code GET /api/v1/video-jobs/{jobId}/events} and
 * {@code GET /api/v1/jobs/{jobId}/events}, and a video project's run's, {@code GET /api/runs/{runId}/events}. The
 * stream sends {@code event: progress} with the surface's own status
 * JSON at once and whenever status, progress or stage change, then {@code event: end} with the final status JSON
 * when the job has ended, and closes. A comment line every {@code reelroute.live.heartbeat} keeps it open through
 * proxies; it is closed after {@code reelroute.live.max-stream-duration} (clients reconnect).
 *
 * <p>Why Spring MVC and not the Rest DSL: platform-http answers once, from the exchange's body, and has no way to
 * write a response in pieces as events happen; {@link SseEmitter} does that without holding a request thread.
 * Everything else is the surface's: these paths sit under /api/ so {@code RateLimitFilter} and {@link ApiAuthFilter}
 * apply as to the surface's other reads (API keys only under /api/jobs), ownership is checked the way the status
 * read checks it (another account's job is the same 404 as a missing one), and the JSON comes from the same view
 * classes (JobViews, VideoJobViews, StyleViews). Changes come from {@link JobWatch}: the events topic, which every
 * instance hears, and a database poll as the fallback, so a job worked by another instance streams the same.
 */
@RestController
public class JobEventsController {
    private static final Logger log = LoggerFactory.getLogger(JobEventsController.class);
    static final String NOT_FOUND = "Job not found";
    /** A run's stream stays open past the runs' time limit (30 min). */
    private static final long RUN_STREAM_MILLIS = TimeUnit.MINUTES.toMillis(35);

    private final JobStore jobs;
    private final JobWatch watch;
    private final StreamLimits limits;
    private final LiveProperties properties;
    private final JobViews jobViews;
    private final VideoJobViews videoJobViews;
    private final StyleViews styleViews;
    private final RunAccess runAccess;
    private final ProjectStore projects;
    private final ScheduledExecutorService heartbeats =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(new DaemonThreads("sse-heartbeat"));
    /** Reads the job and writes the event: off the watch thread, so a slow client never delays another stream. */
    private final ExecutorService senders = new ThreadPoolExecutor(4, 4, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(10_000), new DaemonThreads("sse-send"), new ThreadPoolExecutor.CallerRunsPolicy());

    public JobEventsController(JobStore jobs, JobWatch watch, StreamLimits limits, LiveProperties properties,
                               JobViews jobViews, VideoJobViews videoJobViews, StyleViews styleViews,
                               RunAccess runAccess, ProjectStore projects) {
        this.runAccess = runAccess;
        this.projects = projects;
        this.jobs = jobs;
        this.watch = watch;
        this.limits = limits;
        this.properties = properties;
        this.jobViews = jobViews;
        this.videoJobViews = videoJobViews;
        this.styleViews = styleViews;
    }

    /** The jobs API (and jobs of /api/generate, read at /api/status): the GET /api/status/{jobId} JSON. */
    @GetMapping(path = "/api/jobs/{jobId}/events")
    public ResponseEntity<?> jobEvents(@PathVariable String jobId, HttpServletRequest request) {
        return stream(request, jobId, null, jobViews::status);
    }

    /** The video jobs API: the GET /api/v1/video-jobs/{jobId} JSON (VideoJob, logs included). */
    @GetMapping(path = "/api/v1/video-jobs/{jobId}/events")
    public ResponseEntity<?> videoJobEvents(@PathVariable String jobId, HttpServletRequest request) {
        return stream(request, jobId, Job.KIND_VIDEO_JOB, job -> videoJobViews.job(job, jobs.logs(job.id())));
    }

    /** The style API: the GET /api/v1/jobs/{jobId} envelope (JobResponse). */
    @GetMapping(path = "/api/v1/jobs/{jobId}/events")
    public ResponseEntity<?> styleJobEvents(@PathVariable String jobId, HttpServletRequest request) {
        return stream(request, jobId, Job.KIND_STYLE_TRANSFER, job -> Envelopes.ok(styleViews.job(job)));
    }

    /**
     * A video project's run, read with its public access token alone (a Bearer header, or {@code ?token=} for
     * browsers' EventSource, which cannot set headers): the GET /api/runs/{runId} JSON, then {@code end} with the
     * run's final state. A run is a job: its stream is a job's, without the account's stream limit (the token is
     * not an account's credential).
     */
    @GetMapping(path = "/api/runs/{runId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<?> runEvents(@PathVariable String runId,
                                       @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false)
                                       String authorization,
                                       @RequestParam(name = "token", required = false) String tokenParam,
                                       HttpServletRequest request) {
        try {
            runAccess.verify(runId, tokenParam != null ? tokenParam : RunAccess.bearer(authorization));
        } catch (ApiException denied) {
            return ResponseEntity.status(denied.getStatus()).contentType(MediaType.APPLICATION_JSON)
                    .body(ErrorBodies.json(denied.getMessage()));
        }
        Stream stream = new Stream(RequestPaths.of(request), runId,
                job -> runAccess.view(projects.findRun(job.id()).orElseThrow()),
                new SseEmitter(RUN_STREAM_MILLIS), () -> { });
        stream.start();
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(stream.emitter);
    }

    private ResponseEntity<?> stream(HttpServletRequest request, String jobId, String kind,
                                     Function<Job, Map<String, Object>> view) {
        if (!(request.getAttribute(ApiPrincipal.REQUEST_ATTRIBUTE) instanceof ApiPrincipal principal)) {
            return error(request, 401, ApiAuthFilter.MISSING);
        }
        if (jobs.findOwned(jobId, principal.accountId(), kind).isEmpty()) {
            return error(request, 404, NOT_FOUND);
        }
        Runnable slot = limits.acquire(principal.accountId());
        if (slot == null) {
            return ResponseEntity.status(429).header(HttpHeaders.RETRY_AFTER, "30")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(ErrorBodies.jsonFor(RequestPaths.of(request), 429,
                            "Too many open event streams: at most " + properties.maxStreamsPerAccount()
                                    + " per account; close one or poll the status instead"));
        }
        Stream stream = new Stream(RequestPaths.of(request), jobId, view,
                new SseEmitter(properties.maxStreamDuration().toMillis()), slot);
        stream.start();
        return ResponseEntity.ok()
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("X-Accel-Buffering", "no")
                .contentType(MediaType.TEXT_EVENT_STREAM)
                .body(stream.emitter);
    }

    private static ResponseEntity<String> error(HttpServletRequest request, int status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(ErrorBodies.jsonFor(RequestPaths.of(request), status, message));
    }

    /** One open stream: sends what changed, in order (one send task at a time re-reads the latest row). */
    private final class Stream {
        final String surfacePath;
        final String jobId;
        final Function<Job, Map<String, Object>> view;
        final SseEmitter emitter;
        final Runnable slot;
        final AtomicBoolean sendQueued = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile String lastSent;
        volatile JobWatch.Registration registration;
        volatile ScheduledFuture<?> heartbeat;

        Stream(String surfacePath, String jobId, Function<Job, Map<String, Object>> view, SseEmitter emitter,
               Runnable slot) {
            this.surfacePath = surfacePath;
            this.jobId = jobId;
            this.view = view;
            this.emitter = emitter;
            this.slot = slot;
        }

        void start() {
            emitter.onCompletion(this::close);
            emitter.onTimeout(() -> {
                close();
                emitter.complete();
            });
            emitter.onError(error -> close());
            registration = watch.watch(jobId, seen -> {
                if (!JobWatch.fingerprint(seen.orElse(null)).equals(lastSent)) {
                    queueSend();
                }
            });
            long every = Math.max(1, properties.heartbeat().toMillis());
            heartbeat = heartbeats.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
            queueSend();
        }

        void queueSend() {
            if (!closed.get() && sendQueued.compareAndSet(false, true)) {
                senders.execute(() -> {
                    sendQueued.set(false);
                    sendLatest();
                });
            }
        }

        synchronized void sendLatest() {
            if (closed.get()) {
                return;
            }
            try {
                Optional<Job> job = jobs.find(jobId);
                if (job.isEmpty()) { // deleted while streaming
                    emitter.send(SseEmitter.event().name("end").data(ErrorBodies.jsonFor(
                            surfacePath, 404, NOT_FOUND), MediaType.APPLICATION_JSON));
                    finish();
                    return;
                }
                String fingerprint = JobWatch.fingerprint(job.get());
                Map<String, Object> body = view.apply(job.get());
                if (!fingerprint.equals(lastSent)) {
                    lastSent = fingerprint;
                    emitter.send(SseEmitter.event().name("progress").data(body, MediaType.APPLICATION_JSON));
                }
                if (job.get().status().isTerminal()) {
                    emitter.send(SseEmitter.event().name("end").data(body, MediaType.APPLICATION_JSON));
                    finish();
                }
            } catch (IOException | RuntimeException gone) {
                log.debug("Event stream of job {} ended: {}", jobId, gone.toString());
                close();
                emitter.completeWithError(gone);
            }
        }

        synchronized void heartbeat() {
            if (closed.get()) {
                return;
            }
            try {
                emitter.send(SseEmitter.event().comment("keep-alive"));
            } catch (IOException | RuntimeException gone) {
                close();
                emitter.completeWithError(gone);
            }
        }

        void finish() {
            close();
            emitter.complete();
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                if (registration != null) {
                    registration.close();
                }
                if (heartbeat != null) {
                    heartbeat.cancel(false);
                }
                slot.run();
            }
        }
    }

    @PreDestroy
    void stop() {
        heartbeats.shutdownNow();
        senders.shutdownNow();
    }
}
