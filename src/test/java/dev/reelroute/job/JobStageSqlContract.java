package dev.reelroute.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.config.Ids;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.recovery.WorkSweep;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.Databases.TestDatabase;
import dev.reelroute.support.RouteClaim;
import dev.reelroute.support.TickingClock;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.MarshalDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job's database stages that are camel-sql steps in the routes, run on each database reelroute supports as the
 * service runs them: the YAML of {@code routes/work-recovery.camel.yaml} (the sweep's find-abandoned-jobs and
 * mark-abandoned-jobs-sent), {@code routes/job-progress.camel.yaml} (record-progress, log-stage) and
 * {@code routes/video-compile.camel.yaml}'s store-job-outputs (complete-job) in a plain Camel context over the test's
 * database, with what leaves the process (the queue, the events topic, storage) swapped for mocks by AdviceWith, as
 * the route tests do on H2, stand-ins for the beans whose work is not the database's, and the claim by
 * {@link RouteClaim}. The claim itself is
 * JobStoreContract's; fail-job and refund-job are TokenLedgerContract's.
 */
abstract class JobStageSqlContract {
    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final Duration RESEND_AFTER = Duration.ofMinutes(15);
    private static final String REQUEUED = "mock:requeue-job";
    private static final String EVENTS = "mock:publish-job-event";

    /** A clock that moves 1 ms per reading, so rows get distinct, ordered creation times. */
    private final TickingClock ticking = new TickingClock(Instant.parse("2026-05-07T12:00:00Z"));

    protected abstract TestDatabase openDatabase() throws Exception;

    private TestDatabase database;
    private NamedParameterJdbcTemplate jdbc;
    private JobStore store;
    private RouteClaim claims;
    private CamelContext camel;
    private ProducerTemplate producer;
    private ExecutorService jobEventsExecutor;
    private String accountId;
    private final Outputs outputs = new Outputs();

    @BeforeEach
    void setUp() throws Exception {
        database = openDatabase();
        jdbc = new NamedParameterJdbcTemplate(database.dataSource());
        store = new JobStore(jdbc, new TransactionTemplate(new DataSourceTransactionManager(database.dataSource())),
                ticking);
        accountId = new AccountStore(jdbc, ticking).createAccount("acme", null, 3).account().id();
        claims = new RouteClaim(database.dataSource(), ticking);

        camel = new DefaultCamelContext();
        jobEventsExecutor = Executors.newSingleThreadExecutor();
        camel.getRegistry().bind("dataSource", database.dataSource());
        camel.getRegistry().bind("jobSteps", new JobSteps(ticking));
        camel.getRegistry().bind("jobStore", store);
        camel.getRegistry().bind("workSweep", new WorkSweep(new ReelrouteProperties(null, null, null, null, null,
                null, null, null, null, null, null, new ReelrouteProperties.Recovery(LEASE, Duration.ofSeconds(10),
                Duration.ofMinutes(1), RESEND_AFTER, 3, Duration.ofSeconds(2)), null, null, null, null, null, null)));
        camel.getRegistry().bind("runningWork", new Idle());
        camel.getRegistry().bind("jobProgress", new Idle());
        camel.getRegistry().bind("ffmpegProgressTracker", new Idle());
        camel.getRegistry().bind("jobEventsExecutor", jobEventsExecutor);
        camel.getRegistry().bind("videoOutputs", outputs);
        camel.addRoutes(new RouteConfigurationBuilder() {
            @Override
            public void configuration() {
                routeConfiguration("stage-errors"); // the service's error handling is not what is tested here
            }
        });
        for (String routes : List.of("work-recovery", "job-progress", "video-compile")) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(PluginHelper.getResourceLoader(camel)
                    .resolveResource("classpath:routes/" + routes + ".camel.yaml"));
        }
        // the render itself (FFmpeg, the reporting kamelets) is VideoCompileRouteTest's; its outputs' store is here
        ModelCamelContext model = (ModelCamelContext) camel;
        model.removeRouteDefinition(model.getRouteDefinition("video-compile"));
        // the timers' routes run when a test sends to them; the queue, the topic and the webhooks are not here
        AdviceWith.adviceWith(camel, "work-watchdog", route -> route.replaceFromWith("direct:work-watchdog"));
        AdviceWith.adviceWith(camel, "ffmpeg-progress-poll",
                route -> route.replaceFromWith("direct:ffmpeg-progress-poll"));
        AdviceWith.adviceWith(camel, "work-recovery-sweep", route -> {
            route.replaceFromWith("direct:work-recovery-sweep");
            route.weaveById("requeue-job").replace().to(REQUEUED);
        });
        AdviceWith.adviceWith(camel, "job-progress", route -> {
            route.weaveById("webhook-on-progress").remove();
            route.weaveById("publish-job-event").replace().to(EVENTS);
            // the event's JSON is JobProgressRouteTest's (the service's ObjectMapper, which knows java.time)
            route.weaveByType(MarshalDefinition.class).remove();
        });
        AdviceWith.adviceWith(camel, "store-job-outputs", route -> {
            route.weaveById("store-video").remove();
            route.weaveById("store-thumbnail").remove();
        });
        camel.start();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void tearDown() throws Exception {
        camel.stop();
        jobEventsExecutor.shutdownNow();
        claims.close();
        database.close();
    }

    /** What the routes here call on the beans they do not test: nothing happens. */
    public static final class Idle {
        public void watch() {
        }

        public void logStatus(ProgressEvent event) {
        }

        public List<ProgressEvent> due() {
            return List.of();
        }

        public void follow(Object follow) {
        }

        public void unfollow(String jobId) {
        }
    }

    /**
     * What store-job-outputs calls on {@code videoOutputs} (the files are VideoCompileRouteTest's): the job's keys,
     * the completion a test sets, and the jobs whose completion was refused.
     */
    public static final class Outputs {
        volatile JobStore.Completion completion;
        final List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();

        public double checkRendered(Object render, Object startedNanos) {
            return 2.5;
        }

        public String videoKey(String jobId) {
            return "jobs/" + jobId + "/output.mp4";
        }

        public String thumbnailKey(String jobId) {
            return "jobs/" + jobId + "/thumbnail.jpg";
        }

        public void logRendered(String jobId, Object render, double renderSeconds) {
        }

        public JobStore.Completion completion(String jobId, Object render) {
            return completion;
        }

        public void completionRefused(String jobId) {
            refused.add(jobId);
        }
    }

    private Job pendingJob() {
        return store.insertPendingForAccount(new NewJob(Ids.newId(), accountId, null, Job.KIND_GENERATE, null, null,
                null, 0, Ids.randomToken(24), null, "local", 0), 1000);
    }

    private Instant now() {
        return ticking.peek();
    }

    private void setTime(Job job, String column, Instant when) {
        assertThat(jdbc.update("UPDATE jobs SET " + column + " = :when WHERE id = :id",
                Map.of("when", Timestamp.from(when), "id", job.id()))).isEqualTo(1);
    }

    private Timestamp leaseOf(Job job) {
        return jdbc.queryForObject("SELECT lease_expires_at FROM jobs WHERE id = :id", Map.of("id", job.id()),
                Timestamp.class);
    }

    private List<String> sweep() {
        MockEndpoint requeued = camel.getEndpoint(REQUEUED, MockEndpoint.class);
        requeued.reset();
        Exchange swept = producer.send("direct:work-recovery-sweep", exchange -> { });
        assertThat(swept.getException()).isNull();
        return requeued.getReceivedExchanges().stream().map(e -> e.getMessage().getBody(String.class)).toList();
    }

    @Test
    void theSweepHandsBackLapsedLeasesAndLostMessagesOnceAndNothingElse() {
        Job lapsed = pendingJob();
        assertThat(claims.claim(lapsed.id(), "a-stopped-worker", LEASE).claimed()).isTrue();
        Job lost = pendingJob();
        Job ended = pendingJob();
        assertThat(store.cancelIfPending(ended.id(), accountId)).isTrue();
        ticking.advance(RESEND_AFTER.plusMinutes(1));
        Job running = pendingJob();
        assertThat(claims.claim(running.id(), "a-live-worker", LEASE).claimed()).isTrue();
        Timestamp runningLease = leaseOf(running);
        Job waiting = pendingJob();
        setTime(waiting, "enqueued_at", now());

        assertThat(sweep()).as("oldest first").containsExactly(lapsed.id(), lost.id());
        assertThat(leaseOf(lapsed)).as("a lapsed lease is handed back once: cleared").isNull();
        assertThat(leaseOf(running)).as("a live lease is kept").isEqualTo(runningLease);
        assertThat(jdbc.queryForObject("SELECT enqueued_at FROM jobs WHERE id = :id", Map.of("id", lost.id()),
                Timestamp.class).toInstant()).as("marked as sent now").isAfter(now().minusSeconds(1));

        assertThat(sweep()).as("sent again only after resend-after").isEmpty();
        // the lapsed job is the next claim's, a take-over
        assertThat(claims.claim(lapsed.id(), "the-next-worker", LEASE)).isEqualTo(new WorkClaim(true, 1));
        assertThat(claims.claim(running.id(), "the-next-worker", LEASE).claimed()).isFalse();

        ticking.advance(RESEND_AFTER.plusSeconds(1));
        assertThat(sweep()).as("the taken-over job's lease lapsed again, the lost message was lost again")
                .containsExactlyInAnyOrder(lapsed.id(), lost.id(), running.id(), waiting.id());
    }

    @Test
    void theSweepTakesAtMostAHundredJobsASweep() {
        for (int i = 0; i < 101; i++) {
            pendingJob();
        }
        ticking.advance(RESEND_AFTER.plusSeconds(1));
        assertThat(sweep()).hasSize(100).doesNotHaveDuplicates();
        assertThat(sweep()).as("the rest, in the next sweep").hasSize(1);
    }

    private void report(Job job, String type, int progress, String stage, String message) {
        Exchange done = producer.send("direct:job-progress", exchange -> exchange.setProperty("progressEvent",
                new ProgressEvent(type, job.id(), accountId, job.kind(), JobStatus.PROCESSING.name(), progress,
                        stage, message, now())));
        assertThat(done.getException()).isNull();
    }

    @Test
    void progressMovesForwardOnlyBelowAHundredAndAStageThatMovedTheJobIsLogged() {
        Job job = pendingJob();
        report(job, "stage", 10, "preparing", "Not claimed yet");
        assertThat(store.find(job.id()).orElseThrow().progress()).as("only a PROCESSING job moves").isZero();

        assertThat(claims.claim(job.id(), "worker-a", LEASE).claimed()).isTrue();
        report(job, "stage", 40, "rendering", "Rendering the video");
        report(job, "progress", 40, "rendering", "Rendering the video");
        report(job, "stage", 30, "preparing", "A late stage");
        Job moved = store.find(job.id()).orElseThrow();
        assertThat(moved.progress()).isEqualTo(40);
        assertThat(moved.stage()).isEqualTo("rendering");
        assertThat(moved.statusMessage()).isEqualTo("Rendering the video");

        report(job, "stage", 100, "uploading", "Storing the outputs");
        Job capped = store.find(job.id()).orElseThrow();
        assertThat(capped.progress()).as("100 only once completed").isEqualTo(99);
        assertThat(capped.stage()).isEqualTo("uploading");
        assertThat(store.logs(job.id())).extracting(JobLogLine::message)
                .containsSubsequence("Rendering the video", "Storing the outputs")
                .doesNotContain("Not claimed yet", "A late stage");
        assertThat(camel.getEndpoint(EVENTS, MockEndpoint.class).getReceivedCounter()).as("every event published")
                .isEqualTo(5);
    }

    private Exchange storeOutputs(Job job) {
        Exchange done = producer.send("direct:store-job-outputs", exchange -> {
            exchange.setProperty("jobId", job.id());
            exchange.setProperty("jobKind", job.kind());
        });
        assertThat(done.getException()).isNull();
        return done;
    }

    @Test
    void storedOutputsCompleteAProcessingJobOnlyAndNeverAnEndedOne() {
        Job job = pendingJob();
        assertThat(claims.claim(job.id(), "worker-a", LEASE).claimed()).isTrue();
        outputs.completion = new JobStore.Completion("jobs/" + job.id() + "/output.mp4",
                "jobs/" + job.id() + "/thumbnail.jpg", 4040L, new java.math.BigDecimal("0.1234"), "Made locally");
        storeOutputs(job);
        Job done = store.find(job.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.progress()).isEqualTo(100);
        assertThat(done.stage()).isEqualTo("completed");
        assertThat(done.statusMessage()).isEqualTo("Made locally");
        assertThat(done.outputVideoKey()).isEqualTo("jobs/" + job.id() + "/output.mp4");
        assertThat(done.outputDurationMs()).isEqualTo(4040L);
        assertThat(done.costUsd()).isEqualByComparingTo("0.1234");
        assertThat(done.completedAt()).isNotNull();
        assertThat(outputs.refused).isEmpty();

        // a completion without a duration or a cost (nulls bound as such); a job cancelled meanwhile stays cancelled
        Job free = pendingJob();
        assertThat(claims.claim(free.id(), "worker-a", LEASE).claimed()).isTrue();
        outputs.completion = new JobStore.Completion("v.mp4", "t.jpg", null, null, "Done");
        storeOutputs(free);
        assertThat(store.find(free.id()).orElseThrow()).satisfies(completed -> {
            assertThat(completed.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(completed.outputDurationMs()).isNull();
            assertThat(completed.costUsd()).isNull();
        });
        Job cancelled = pendingJob();
        assertThat(store.cancelIfPending(cancelled.id(), accountId)).isTrue();
        storeOutputs(cancelled);
        assertThat(store.find(cancelled.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(storeOutputs(done).getException()).isNull();
        assertThat(outputs.refused).as("a cancelled job, and one already completed").containsExactly(cancelled.id(),
                done.id());
    }
}
