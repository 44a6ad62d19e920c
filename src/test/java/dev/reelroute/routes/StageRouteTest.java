package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.config.Ids;
import dev.reelroute.imageaudio.ImageAudioPlanner;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.NewJob;
import dev.reelroute.job.PlannedRender;
import dev.reelroute.job.ProgressEvent;
import dev.reelroute.security.AccountStore;
import dev.reelroute.storage.Storage;
import dev.reelroute.support.CompletedJobs;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The stage routes as they are loaded from their YAML, in the service's one Spring context for route tests (every
 * subclass has this configuration, so Spring's test context cache builds it once). Whatever leaves the process is
 * swapped for a mock endpoint by AdviceWith, on the steps' ids: FFmpeg runs ({@code exec:}), the JMS hand-offs
 * ({@code jms:}), the webhook POST ({@code http:}). The database, storage and the beans the steps call are real.
 * Each JMS consumer starts from a {@code direct:} of the same name instead, so a test sends one message and the
 * route has run when the call returns; what the routes wire-tap (job events) is awaited with a NotifyBuilder.
 */
@CamelSpringBootTest
@UseAdviceWith
abstract class StageRouteTest extends ServiceTest {
    /** Mock endpoints standing in for the steps named after them. */
    static final int JOB_TIME_LIMIT_SECONDS = 5;
    static final String FFMPEG = "mock:run-ffmpeg";
    static final String FFMPEG_THUMBNAIL = "mock:run-ffmpeg-thumbnail";
    static final String STORE_OUTPUTS = "mock:store-outputs";
    static final String GENERATE_CLIPS = "mock:generate-clips";
    static final String WEBHOOK_RECEIVER = "mock:post-webhook";
    static final String NEXT_WEBHOOK_ATTEMPT = "mock:schedule-next-attempt";
    static final String WEBHOOK_DEAD_LETTER = "mock:park-webhook";
    static final String WEBHOOK_QUEUE = "mock:queue-webhook";
    static final String JOB_EVENTS = "mock:publish-job-event";
    static final String REPLICATE_CALL = "mock:call-provider";
    static final String SEGMENT_FFMPEG = "mock:run-segment-ffmpeg";
    static final String ANALYSIS_FFMPEG = "mock:run-analysis-ffmpeg";
    static final String TITLE_CARD_FFMPEG = "mock:run-title-card-ffmpeg";
    static final String ESPEAK = "mock:run-espeak-ng";
    static final String JOB_QUEUE = "mock:enqueue-job";
    static final String SUBMIT_REPLY = "mock:send-submit-reply";
    static final String SUBMIT_DEAD_LETTER = "mock:park-refused-submission";
    static final String SUBMITTED_RUN_QUEUE = "mock:hand-submitted-run-to-queue";
    static final String REQUEUED_JOBS = "mock:requeue-job";
    static final String CLIP_QUEUE = "mock:queue-clip";

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate template;
    @Autowired
    JobStore jobStore;
    @Autowired
    Storage storage;
    @Autowired
    ImageAudioPlanner imageAudioPlanner;
    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void stageRouteProperties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.webhooks.allow-insecure-urls", () -> "true");
        registry.add("reelroute.webhooks.schedule", () -> "0s,50ms,100ms");
        // configured, so its models are accepted; nothing is ever sent there (call-provider is a mock)
        registry.add("reelroute.providers.replicate.token", () -> "r8_route-test-token");
        registry.add("reelroute.providers.replicate.base-url", () -> "http://127.0.0.1:9");
        registry.add("reelroute.projects.clip-retries", () -> "3");
        registry.add("reelroute.projects.clip-retry-delay-ms", () -> "5");
        // a job's time limit that a route test can see pass (WorkRecoveryRouteTest); the watchdog only runs when a
        // test sends to it
        registry.add("reelroute.jobs.max-duration", () -> JOB_TIME_LIMIT_SECONDS + "s");
        // the watched jobs are re-read when job-watch hears of them, never by JobWatch's own poll
        // (JobWatchRouteTest tells the two apart)
        registry.add("reelroute.live.poll-interval", () -> "1h");
    }

    @BeforeEach
    void adviseOnce() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "job-orchestrate", route -> {
                route.replaceFromWith("direct:job-orchestrate");
                route.weaveById("generate-clips").replace().to(GENERATE_CLIPS);
            });
            AdviceWith.adviceWith(camel, "video-compile", route -> {
                route.weaveById("run-ffmpeg").replace().to(FFMPEG);
                route.weaveById("run-ffmpeg-thumbnail").replace().to(FFMPEG_THUMBNAIL);
                route.weaveById("store-outputs").replace().to(STORE_OUTPUTS);
            });
            AdviceWith.adviceWith(camel, "webhook-deliver", route -> route.replaceFromWith("direct:webhook-deliver"));
            AdviceWith.adviceWith(camel, "webhook-attempt",
                    route -> route.weaveById("post-webhook").replace().to(WEBHOOK_RECEIVER));
            AdviceWith.adviceWith(camel, "webhook-retry",
                    route -> route.weaveById("schedule-next-attempt").replace().to(NEXT_WEBHOOK_ATTEMPT));
            AdviceWith.adviceWith(camel, "webhook-exhausted",
                    route -> route.weaveById("park-webhook").replace().to(WEBHOOK_DEAD_LETTER));
            AdviceWith.adviceWith(camel, "webhook-queue-event",
                    route -> route.weaveById("queue-webhook").replace().to(WEBHOOK_QUEUE));
            AdviceWith.adviceWith(camel, "job-progress",
                    route -> route.weaveById("publish-job-event").replace().to(JOB_EVENTS));
            AdviceWith.adviceWith(camel, "provider-call-replicate", route -> {
                initialiseTryBlocks(route.getOriginalRoute().getOutputs());
                route.weaveById("call-provider").replace().to(REPLICATE_CALL);
            });
            AdviceWith.adviceWith(camel, "project-clip-attempt",
                    route -> route.weaveById("run-segment-ffmpeg").replace().to(SEGMENT_FFMPEG));
            AdviceWith.adviceWith(camel, "style-analysis-run",
                    route -> route.weaveById("run-analysis-ffmpeg").replace().to(ANALYSIS_FFMPEG));
            AdviceWith.adviceWith(camel, "local-prompt-clip", route -> {
                route.weaveById("run-title-card-ffmpeg").replace().to(TITLE_CARD_FFMPEG);
                route.weaveById("run-espeak-ng").replace().to(ESPEAK);
            });
            AdviceWith.adviceWith(camel, "job-enqueue", route -> {
                initialiseTryBlocks(route.getOriginalRoute().getOutputs());
                route.weaveById("enqueue-job").replace().to(JOB_QUEUE);
            });
            AdviceWith.adviceWith(camel, "jms-submit", route -> {
                route.replaceFromWith("direct:jms-submit");
                route.weaveById("hand-submitted-run-to-queue").replace().to(SUBMITTED_RUN_QUEUE);
            });
            AdviceWith.adviceWith(camel, "jms-submit-reply", route -> {
                initialiseTryBlocks(route.getOriginalRoute().getOutputs());
                route.weaveById("send-submit-reply").replace().to(SUBMIT_REPLY);
            });
            AdviceWith.adviceWith(camel, "jms-submit-dead-letter",
                    route -> route.weaveById("park-refused-submission").replace().to(SUBMIT_DEAD_LETTER));
            // the timers' routes run when a test sends to them, not on their own in between
            AdviceWith.adviceWith(camel, "work-watchdog", route -> route.replaceFromWith("direct:work-watchdog"));
            AdviceWith.adviceWith(camel, "work-recovery-sweep", route -> {
                route.replaceFromWith("direct:work-recovery-sweep");
                route.weaveById("requeue-job").replace().to(REQUEUED_JOBS);
            });
            AdviceWith.adviceWith(camel, "idempotency-purge",
                    route -> route.replaceFromWith("direct:idempotency-purge"));
            AdviceWith.adviceWith(camel, "job-watch", route -> route.replaceFromWith("direct:job-watch"));
            AdviceWith.adviceWith(camel, "project-run",
                    route -> route.weaveById("queue-clip").replace().to(CLIP_QUEUE));
            camel.start();
        }
        MockEndpoint.resetMocks(camel);
    }

    /** A doTry's steps are only seen by weaving once it is initialised (at start, without this). */
    private static void initialiseTryBlocks(List<ProcessorDefinition<?>> steps) {
        for (ProcessorDefinition<?> step : steps) {
            step.preCreateProcessor();
            initialiseTryBlocks(step.getOutputs());
        }
    }

    MockEndpoint mock(String uri) {
        return camel.getEndpoint(uri, MockEndpoint.class);
    }

    /** A PENDING image + audio job of a new account, its inputs in storage, its webhook going to {@code webhookUrl}. */
    Job imageAudioJob(String webhookUrl) throws Exception {
        AccountStore.CreatedKey account = newAccount("route-test-" + Ids.newId());
        String id = Ids.newId();
        Path inputs = Files.createTempDirectory(dataDir, "inputs-");
        String imageKey = "inputs/" + id + "/image.png";
        String audioKey = "inputs/" + id + "/audio.wav";
        storage.put(imageKey, TestMedia.png(inputs, 320, 240), "image/png");
        storage.put(audioKey, TestMedia.wav(inputs, 1.0), "audio/wav");
        return jobStore.insertPending(new NewJob(id, account.accountId(), account.keyId(), Job.KIND_IMAGE_AUDIO,
                webhookUrl, imageKey, audioKey, 1000, Ids.randomToken(24)), 1);
    }

    /**
     * The job inserted and its tokens ({@code job.tokensConsumed()}) charged by charge-job, as create-video-job has
     * it done (its account's limit of active jobs of the kind: {@code maxActive}); the exchange, with the refusal as
     * its exception.
     */
    Exchange charge(NewJob job, int maxActive) {
        return template.send("direct:charge-job", exchange -> {
            exchange.setVariable("newJob", job);
            exchange.setVariable("maxActiveJobs", maxActive);
        });
    }

    /**
     * What image-audio-plan does for an image + audio job, standing in for it at {@code generate-clips}: the render
     * plan of the one clip, made by the real planner from the stored inputs.
     */
    void clipsArePlanned() {
        mock(GENERATE_CLIPS).whenAnyExchangeReceived(exchange -> exchange.setProperty("renderPlan",
                planOf(exchange.getProperty("jobId", String.class))));
    }

    /** The real planner's render plan of an image + audio job, from its inputs in storage. */
    PlannedRender planOf(String jobId) throws IOException {
        Job job = imageAudioPlanner.job(jobId);
        Path workDir = imageAudioPlanner.workDir(jobId);
        return imageAudioPlanner.plan(job, workDir, storage.localFile(job.inputImageKey(), workDir),
                storage.localFile(job.inputAudioKey(), workDir));
    }

    /**
     * The mock standing in for an {@code exec:} step runs the command it was sent, as camel-exec would have (a
     * test then makes one run fail instead); returns the command lines, executable first, as they come.
     */
    List<List<String>> runsTheCommands(String execMock) {
        List<List<String>> commands = new CopyOnWriteArrayList<>();
        mock(execMock).whenAnyExchangeReceived(exchange -> {
            List<String> command = new ArrayList<>();
            command.add(exchange.getMessage().getHeader("CamelExecCommandExecutable", String.class));
            for (Object arg : exchange.getMessage().getHeader("CamelExecCommandArgs", List.class)) {
                command.add(arg.toString());
            }
            commands.add(command);
            TestMedia.run(command);
        });
        return commands;
    }

    /** What store-job-outputs does at {@code store-outputs}, without the files: the job is COMPLETED. */
    void outputsAreStored() {
        mock(STORE_OUTPUTS).whenAnyExchangeReceived(exchange -> CompletedJobs.complete(jdbc.getDataSource(),
                exchange.getProperty("jobId", String.class), Instant.now()));
    }

    /** Runs job-orchestrate on one job id, as the broker would hand it over; returns once the route has finished. */
    Exchange orchestrate(Job job) {
        NotifyBuilder finished = new NotifyBuilder(camel).fromRoute("job-orchestrate").whenCompleted(1).create();
        Exchange exchange = template.send("direct:job-orchestrate", ex -> ex.getMessage().setBody(job.id()));
        assertThat(finished.matches(30, TimeUnit.SECONDS)).as("job-orchestrate completed (handled)").isTrue();
        return exchange;
    }

    /**
     * Matches once job-progress, on its own thread, has published the job's event of that type (and, for a
     * "stage" event, that stage) at {@code publish-job-event}.
     */
    NotifyBuilder eventPublished(Job job, String type, String stage) {
        return new NotifyBuilder(camel).wereSentTo(JOB_EVENTS)
                .whenAnyDoneMatches(exchange -> {
                    ProgressEvent event = exchange.getProperty("progressEvent", ProgressEvent.class);
                    return event != null && event.jobId().equals(job.id()) && event.type().equals(type)
                            && (stage == null || stage.equals(event.stage()));
                })
                .create();
    }

    /** The first message sent to {@code mock} for the job (its {@code jobId} header). */
    static Message firstSentFor(MockEndpoint mock, Job job) {
        return mock.getReceivedExchanges().stream().map(Exchange::getMessage)
                .filter(message -> job.id().equals(message.getHeader("jobId")))
                .findFirst().orElseThrow(() -> new AssertionError("nothing sent to " + mock.getEndpointUri()));
    }

    /**
     * How many times the meter {@code name} with these tags ({@code key, value, ...}) has counted so far: a counter's
     * count, a timer's or a summary's number of recordings; 0 before its first.
     */
    double counted(String name, String... tags) {
        double count = 0;
        for (Meter meter : meters.find(name).tags(tags).meters()) {
            if (meter instanceof Counter counter) {
                count += counter.count();
            } else if (meter instanceof Timer timer) {
                count += timer.count();
            } else if (meter instanceof DistributionSummary summary) {
                count += summary.count();
            }
        }
        return count;
    }

    Job reread(Job job) {
        return jobStore.find(job.id()).orElseThrow();
    }

    /** How many messages were sent to {@code mock} for the job. */
    static long sentFor(MockEndpoint mock, Job job) {
        return mock.getReceivedExchanges().stream()
                .filter(exchange -> job.id().equals(exchange.getMessage().getHeader("jobId")))
                .count();
    }

    /** The job's end webhook was queued, saying it failed (in the job's API's own casing). */
    void assertFailureWebhookQueued(Job job) {
        assertThat(firstSentFor(mock(WEBHOOK_QUEUE), job).getBody(String.class))
                .containsIgnoringCase("\"status\":\"failed\"");
    }

    static void assertNothingSentFor(MockEndpoint mock, Job job) {
        assertThat(sentFor(mock, job)).as("sent to %s for job %s", mock.getEndpointUri(), job.id()).isZero();
    }
}
