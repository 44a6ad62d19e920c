package dev.reelroute.project;

import dev.reelroute.web.ApiException;
import dev.reelroute.config.DaemonThreads;
import dev.reelroute.web.ErrorBodies;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 * GET /api/runs/{runId}/events: the run's progress as server-sent events ("progress" whenever it changes, then
 * one "end" with the final state when the run is completed or failed; both carry the GET /api/runs/{runId} JSON).
 * The token may come as a Bearer header or, for browsers' EventSource (which cannot set headers), as
 * {@code ?token=}.
 */
@RestController
public class RunEventsController {
    private static final long POLL_MILLIS = 500;
    private static final long MAX_STREAM_MILLIS = TimeUnit.MINUTES.toMillis(35);

    private final RunAccess access;
    private final ProjectStore store;
    private final ScheduledExecutorService poller = Executors.newScheduledThreadPool(1, new DaemonThreads("run-events"));

    public RunEventsController(RunAccess access, ProjectStore store) {
        this.access = access;
        this.store = store;
    }

    @GetMapping(path = "/api/runs/{runId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public ResponseEntity<?> events(@PathVariable String runId,
                                    @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                    @RequestParam(name = "token", required = false) String tokenParam) {
        String token = tokenParam != null ? tokenParam : RunAccess.bearer(authorization);
        try {
            access.verify(runId, token);
        } catch (ApiException denied) {
            return ResponseEntity.status(denied.getStatus()).contentType(MediaType.APPLICATION_JSON)
                    .body(ErrorBodies.json(denied.getMessage()));
        }
        SseEmitter emitter = new SseEmitter(MAX_STREAM_MILLIS);
        AtomicReference<String> last = new AtomicReference<>();
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        task.set(poller.scheduleWithFixedDelay(() -> {
            try {
                ProjectRun run = store.findRun(runId).orElseThrow();
                Map<String, Object> view = access.view(run);
                String fingerprint = run.status() + "/" + run.progress() + "/" + run.stage() + "/" + run.updatedAt();
                if (!Objects.equals(fingerprint, last.getAndSet(fingerprint))) {
                    emitter.send(SseEmitter.event().name("progress").data(view, MediaType.APPLICATION_JSON));
                }
                if (!run.isActive()) {
                    // the final state, the GET /api/runs/{runId} JSON, as a job's stream ends with its own
                    emitter.send(SseEmitter.event().name("end").data(view, MediaType.APPLICATION_JSON));
                    emitter.complete();
                    cancel(task);
                }
            } catch (IOException | RuntimeException gone) {
                emitter.completeWithError(gone);
                cancel(task);
            }
        }, 20, POLL_MILLIS, TimeUnit.MILLISECONDS));
        emitter.onCompletion(() -> cancel(task));
        emitter.onTimeout(() -> cancel(task));
        return ResponseEntity.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").body(emitter);
    }

    private static void cancel(AtomicReference<ScheduledFuture<?>> task) {
        ScheduledFuture<?> scheduled = task.get();
        if (scheduled != null) {
            scheduled.cancel(false);
        }
    }

    @PreDestroy
    void stop() {
        poller.shutdownNow();
    }
}
