package dev.reelroute.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.config.Ids;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobProgress;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.NewJob;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.job.StyleSpec;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.WorkerlessServiceTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Prefer: wait on the status reads and the server-sent event streams of the jobs, video-jobs and style surfaces.
 * No worker runs: the test moves its jobs itself, through job-progress (as a worker does: the row, then the
 * event on the topic) or straight in the database (which only the poll notices). Whether a read was held is read
 * from the service ({@link StatusWaits#held()}, {@link StatusWaits#heldSinceStart()}), never from a clock.
 */
class LiveReadsTest extends WorkerlessServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    JobStore jobs;
    @Autowired
    JobProgress progress;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    StatusWaits waits;

    private AccountStore.CreatedKey caller;
    private final ExecutorService readers = Executors.newCachedThreadPool();

    @BeforeEach
    void account() {
        caller = newAccount("live-" + System.nanoTime());
    }

    @AfterEach
    void stopReaders() {
        readers.shutdownNow();
    }

    private String imageAudioJob(AccountStore.CreatedKey owner) {
        String id = Ids.newId();
        jobs.insertPendingForAccount(new NewJob(id, owner.accountId(), owner.keyId(), Job.KIND_IMAGE_AUDIO, null,
                "in/image.png", "in/audio.wav", 6000, Ids.randomToken(24)), 100);
        return id;
    }

    private String videoJob() {
        String id = Ids.newId();
        PromptSpec spec = new PromptSpec("a lighthouse at dusk", null, "veo-3.1-fast-generate-preview", "720p", "16:9",
                4, true, false, null, null, List.of());
        jobs.insertPendingForAccount(new NewJob(id, caller.accountId(), caller.keyId(), Job.KIND_VIDEO_JOB, null, null,
                null, 0, Ids.randomToken(24), spec, "local", 50), 100);
        return id;
    }

    private String styleJob() {
        String id = Ids.newId();
        jobs.insertPendingForAccount(new NewJob(id, caller.accountId(), caller.keyId(), Job.KIND_STYLE_TRANSFER, null,
                null, null, 0, Ids.randomToken(24), null, "local", 0, new StyleSpec("csource", "ctemplate", "{}", null)),
                100);
        return id;
    }

    /** A stage event the way a worker reports one: recorded, then published on reelroute.job-events. */
    private void stage(String jobId, String stage, int percent) {
        producer.sendBodyAndProperty("direct:job-progress", null, "progressEvent",
                progress.stage(jobId, stage, percent, "Now " + stage));
    }

    private ApiClient.Response statusWithWait(String path, String prefer) throws Exception {
        return api.get(path, caller.apiKey(), "Prefer", prefer);
    }

    /** Starts a status read with the preference and returns once the service holds it. */
    private CompletableFuture<ApiClient.Response> heldRead(String path, String prefer) {
        long heldBefore = waits.heldSinceStart();
        CompletableFuture<ApiClient.Response> read = CompletableFuture.supplyAsync(() -> {
            try {
                return statusWithWait(path, prefer);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, readers);
        await("the read is held").until(() -> read.isDone() || waits.heldSinceStart() > heldBefore);
        assertThat(waits.heldSinceStart()).as("reads held").isEqualTo(heldBefore + 1);
        return read;
    }

    private static ApiClient.Response answer(CompletableFuture<ApiClient.Response> read) throws Exception {
        return read.get(30, TimeUnit.SECONDS);
    }

    /**
     * A read held on a job that does not change, before the read under test is made with the same wait: while it is
     * still held, the read under test cannot have answered because its wait ran out, only because its job changed.
     */
    private CompletableFuture<ApiClient.Response> heldEarlierOnAnUnchangingJob(String unchanging) {
        return heldRead("/api/status/" + unchanging, "wait=20");
    }

    private void release(String unchanging, CompletableFuture<ApiClient.Response> earlier) throws Exception {
        jobs.cancelIfPending(unchanging, caller.accountId());
        ApiClient.Response released = answer(earlier);
        assertThat(released.json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(released.header("Preference-Applied")).isEqualTo("wait=20");
    }

    @Test
    void preferWaitHoldsTheReadUntilTheJobChanges() throws Exception {
        String id = imageAudioJob(caller);
        claimAs(id, "test-worker", Duration.ofMinutes(5));
        String unchanging = imageAudioJob(caller);
        CompletableFuture<ApiClient.Response> earlier = heldEarlierOnAnUnchangingJob(unchanging);

        CompletableFuture<ApiClient.Response> read = heldRead("/api/status/" + id, "wait=20");
        stage(id, "rendering", 40);
        ApiClient.Response response = answer(read);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("progress").asInt()).isEqualTo(40);
        assertThat(response.header("Preference-Applied")).isEqualTo("wait=20");
        assertThat(earlier).as("answered on the change, not at the end of its wait").isNotDone();
        release(unchanging, earlier);
    }

    @Test
    void preferWaitNoticesChangesNoEventAnnouncedThroughThePoll() throws Exception {
        String id = videoJob();
        String unchanging = imageAudioJob(caller);
        CompletableFuture<ApiClient.Response> earlier = heldEarlierOnAnUnchangingJob(unchanging);

        CompletableFuture<ApiClient.Response> read = heldRead("/api/v1/video-jobs/" + id, "wait=20");
        // straight in the database, as another instance on another broker would: only the 1 s poll sees it
        claimAs(id, "elsewhere", Duration.ofMinutes(5));
        ApiClient.Response response = answer(read);
        assertThat(response.json().get("status").asText()).isEqualTo("RUNNING");
        assertThat(response.header("Preference-Applied")).isEqualTo("wait=20");
        assertThat(earlier).as("answered on the change, not at the end of its wait").isNotDone();
        release(unchanging, earlier);
    }

    @Test
    void preferWaitOnAFinishedJobAnswersAtOnce() throws Exception {
        String id = imageAudioJob(caller);
        jobs.cancelIfPending(id, caller.accountId());
        long heldBefore = waits.heldSinceStart();
        ApiClient.Response response = statusWithWait("/api/status/" + id, "wait=30");
        assertThat(waits.heldSinceStart()).as("reads held").isEqualTo(heldBefore);
        assertThat(response.json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(response.header("Preference-Applied")).isEqualTo("wait=30");
    }

    @Test
    void preferWaitOnAnUnchangingJobAnswersAfterTheWait() throws Exception {
        String id = styleJob();
        CompletableFuture<ApiClient.Response> read = heldRead("/api/v1/jobs/" + id, "respond-async, wait=2");
        ApiClient.Response response = answer(read);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("data").get("status").asText()).isEqualTo("queued");
        assertThat(response.header("Preference-Applied")).isEqualTo("wait=2");
        assertThat(waits.held()).as("reads held").isZero();
    }

    @Test
    void malformedLargeAndForeignWaits() throws Exception {
        String id = imageAudioJob(caller);
        long heldBefore = waits.heldSinceStart();
        for (String malformed : List.of("wait=abc", "wait=-3", "wait=", "wait=1.5", "handling=lenient")) {
            ApiClient.Response response = statusWithWait("/api/status/" + id, malformed);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Preference-Applied")).as(malformed).isNull();
            assertThat(waits.heldSinceStart()).as("reads held after " + malformed).isEqualTo(heldBefore);
        }
        jobs.cancelIfPending(id, caller.accountId());
        assertThat(statusWithWait("/api/status/" + id, "wait=600").header("Preference-Applied")).isEqualTo("wait=60");

        // another account's job: the read's own 404, at once, in the surface's error body
        String theirs = imageAudioJob(newAccount("other-" + System.nanoTime()));
        ApiClient.Response foreign = statusWithWait("/api/status/" + theirs, "wait=5");
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("error").asText()).isEqualTo("Job not found");
        ApiClient.Response foreignVideo = statusWithWait("/api/v1/video-jobs/" + theirs, "wait=5");
        assertThat(foreignVideo.status()).isEqualTo(404);
        assertThat(foreignVideo.json().get("detail").asText()).isNotBlank();
        assertThat(waits.heldSinceStart()).as("reads held of another account's job").isEqualTo(heldBefore);
    }

    @Test
    void waitersPastTheBoundAnswerAtOnce() throws Exception {
        String id = imageAudioJob(caller);
        List<CompletableFuture<ApiClient.Response>> held = new ArrayList<>();
        for (int i = 0; i < LIVE_MAX_WAITERS; i++) {
            held.add(heldRead("/api/status/" + id, "wait=20"));
        }
        long heldBefore = waits.heldSinceStart();
        ApiClient.Response extra = statusWithWait("/api/status/" + id, "wait=20");
        assertThat(extra.status()).isEqualTo(200);
        assertThat(extra.header("Preference-Applied")).isNull();
        assertThat(waits.heldSinceStart()).as("the read past the bound was not held").isEqualTo(heldBefore);
        assertThat(held).as("the held reads still wait").noneMatch(CompletableFuture::isDone);

        jobs.cancelIfPending(id, caller.accountId());
        for (var waiting : held) {
            ApiClient.Response answered = answer(waiting);
            assertThat(answered.json().get("status").asText()).isEqualTo("CANCELLED");
            assertThat(answered.header("Preference-Applied")).isEqualTo("wait=20");
        }
    }

    /** An open event stream: its lines as they come. */
    private final class Events implements AutoCloseable {
        final HttpResponse<java.io.InputStream> response;
        final BufferedReader reader;

        Events(String path, String apiKey) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .header("X-API-Key", apiKey).header("Accept", "text/event-stream").GET().build();
            response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        }

        /** Reads up to the next comment line (a heartbeat), which comes before any event while nothing changes. */
        void nextComment() throws Exception {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(":")) {
                    comments++;
                    return;
                }
                assertThat(line).as("no event while nothing changes").isEmpty();
            }
            throw new AssertionError("the stream ended before a heartbeat");
        }

        /** The next event (name and data), skipping comments; null when the stream ended. */
        String[] next() throws Exception {
            String name = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (name != null || data.length() > 0) {
                        return new String[] {name, data.toString()};
                    }
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (line.startsWith(":")) {
                    comments++;
                }
            }
            return null;
        }

        int comments;

        @Override
        public void close() throws Exception {
            response.body().close();
        }
    }

    @Test
    void jobEventsStreamProgressUntilTheJobEnds() throws Exception {
        String id = imageAudioJob(caller);
        try (Events events = new Events("/api/jobs/" + id + "/events", caller.apiKey())) {
            assertThat(events.response.statusCode()).isEqualTo(200);
            assertThat(events.response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            String[] first = events.next();
            assertThat(first[0]).isEqualTo("progress");
            assertThat(JSON.readTree(first[1]).get("status").asText()).isEqualTo("PENDING");

            claimAs(id, "test-worker", Duration.ofMinutes(5));
            stage(id, "rendering", 50);
            JsonNode latest = null;
            String[] event;
            while ((event = events.next()) != null && event[0].equals("progress")) {
                latest = JSON.readTree(event[1]);
                if (latest.get("progress").asInt() == 50) {
                    break;
                }
            }
            assertThat(latest.get("status").asText()).isEqualTo("PROCESSING");
            events.nextComment(); // a heartbeat comes while nothing changes
            producer.send("direct:fail-job", exchange -> {
                exchange.setProperty("jobId", id);
                exchange.setProperty("failureMessage", "Test failure");
            });
            String[] last = events.next();
            while (last[0].equals("progress")) {
                last = events.next();
            }
            assertThat(last[0]).isEqualTo("end");
            assertThat(JSON.readTree(last[1]).get("status").asText()).isEqualTo("FAILED");
            assertThat(JSON.readTree(last[1]).get("errorMessage").asText()).isEqualTo("Test failure");
            assertThat(events.comments).isGreaterThanOrEqualTo(1);
            assertThat(events.next()).isNull(); // closed after the end
        }
    }

    @Test
    void eachSurfaceStreamsItsOwnShape() throws Exception {
        String video = videoJob();
        try (Events events = new Events("/api/v1/video-jobs/" + video + "/events", caller.apiKey())) {
            JsonNode first = JSON.readTree(events.next()[1]);
            assertThat(first.get("status").asText()).isEqualTo("PENDING");
            assertThat(first.has("progressPercentage")).isTrue();
            jobs.cancel(video, caller.accountId());
            String[] event = events.next();
            while (!event[0].equals("end")) {
                event = events.next();
            }
            assertThat(JSON.readTree(event[1]).get("status").asText()).isEqualTo("CANCELLED");
        }
        String style = styleJob();
        try (Events events = new Events("/api/v1/jobs/" + style + "/events", caller.apiKey())) {
            JsonNode first = JSON.readTree(events.next()[1]);
            assertThat(first.get("success").asBoolean()).isTrue();
            assertThat(first.get("data").get("status").asText()).isEqualTo("queued");
        }
    }

    @Test
    void streamsAreRefusedLikeTheStatusReads() throws Exception {
        String theirs = imageAudioJob(newAccount("other-" + System.nanoTime()));
        ApiClient.Response foreign = api.get("/api/jobs/" + theirs + "/events", caller.apiKey());
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().get("error").asText()).isEqualTo("Job not found");
        ApiClient.Response missing = api.get("/api/v1/jobs/" + Ids.newId() + "/events", caller.apiKey());
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").get("code").asText()).isEqualTo("NOT_FOUND");
        ApiClient.Response wrongKind = api.get("/api/v1/video-jobs/" + styleJob() + "/events", caller.apiKey());
        assertThat(wrongKind.status()).isEqualTo(404);
        assertThat(wrongKind.json().get("detail").asText()).isNotBlank();
        ApiClient.Response anonymous = api.get("/api/jobs/" + theirs + "/events", null);
        assertThat(anonymous.status()).isEqualTo(401);

        // at most LIVE_MAX_STREAMS_PER_ACCOUNT streams per account here
        String id = imageAudioJob(caller);
        List<Events> open = new ArrayList<>();
        try {
            for (int i = 0; i < LIVE_MAX_STREAMS_PER_ACCOUNT; i++) {
                open.add(new Events("/api/jobs/" + id + "/events", caller.apiKey()));
            }
            for (Events stream : open) {
                assertThat(stream.next()[0]).isEqualTo("progress");
            }
            ApiClient.Response oneTooMany = api.get("/api/jobs/" + id + "/events", caller.apiKey());
            assertThat(oneTooMany.status()).isEqualTo(429);
            assertThat(oneTooMany.json().get("error").asText()).contains("event streams");
        } finally {
            for (Events stream : open) {
                stream.close();
            }
        }
    }
}
