package dev.reelroute.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.job.JobStore;
import dev.reelroute.project.ProjectStore;
import dev.reelroute.project.RunClip;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.ExternalArtemis;
import dev.reelroute.support.FfmpegProcesses;
import dev.reelroute.support.ProjectRunStages;
import dev.reelroute.support.S3ProxyExtension;
import dev.reelroute.support.ScaledOut;
import dev.reelroute.support.ServiceProcess;
import dev.reelroute.support.TestMedia;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 19's bench, not part of the suite (its name does not end in Test; {@code bench/instances.sh} runs it): one
 * 12-clip 720p project run by one instance and by two, side by side in one run, and the per-clip hand-off that clips
 * as broker work cost, measured in its parts; from those, the expected run time on 1, 2, 4 and 8 machines.
 * <p>
 * Two instances as processes of their own (the scaled-out profiles mysql, s3 and artemis: one MariaDB database, one
 * standalone Artemis broker, one s3proxy bucket, each instance its own data dir), both started once and kept warm.
 * "One instance" is instance B taken out of the pool, as an operator would, through Jolokia: its routes that take
 * work (job-orchestrate, project-clip-queue) stopped; "two" is them started again. The rounds alternate which comes
 * first. The runs are watched in the database the instances share, every 100 ms: when each clip started and was
 * stored, by which instance, and when the run ended. On this 2-core machine both instances share the same cores, so two instances
 * cannot be faster here: what the side by side shows is what sharing the work costs; the model says what separate
 * machines would give.
 */
@ExtendWith(S3ProxyExtension.class)
class ClipsAcrossInstancesBench {
    private static final int CLIPS = Integer.getInteger("bench.clips", 12);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    private static final int CLIP_SECONDS = Integer.getInteger("bench.clip-seconds", 5);
    /** reelroute.projects.clip-concurrency, as both instances run it (the default). */
    private static final int CLIP_CONCURRENCY = 3;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    private static final String ADMIN_TOKEN = "bench-admin-" + System.nanoTime();
    private static final String HAWTIO_USER = "bench";
    private static final String HAWTIO_PASSWORD = "bench-hawtio-" + System.nanoTime();
    private static final int WATCH_MILLIS = 100;
    private static final List<String> WORK_ROUTES = List.of("job-orchestrate", "project-clip-queue");

    @RegisterExtension
    static final ExternalArtemis artemis = new ExternalArtemis();

    private static final String BUCKET = "clips-bench";
    private static final ScaledOut shared = new ScaledOut(artemis, BUCKET);

    @TempDir
    static Path dir;

    /** One run as watched, in seconds. */
    private record RunFigures(int instances, double total, double toFirstClip, double clips, double compile,
                              List<Double> clipSpans, Map<String, Integer> clipsBy) {}

    @Test
    void oneInstanceAgainstTwo() throws Exception {
        shared.createDatabaseAndBucket();
        ServiceProcess a = null;
        ServiceProcess b = null;
        try {
            a = start("instance-a");
            // B second: A's Flyway has migrated the shared database by now
            b = start("instance-b");
            ApiClient api = a.api();
            String key = newAccountKey(api);
            String project = project(api, key, CLIPS, "Bench " + CLIPS + " clips");

            run(api, key, project, 2); // warm-up: both JVMs' first project, not counted
            List<RunFigures> one = new ArrayList<>();
            List<RunFigures> two = new ArrayList<>();
            List<String> loads = new ArrayList<>();
            String measuredRun = null;
            for (int round = 0; round < ROUNDS; round++) {
                for (int instances : round % 2 == 0 ? List.of(1, 2) : List.of(2, 1)) {
                    pool(b, "instance-b", instances == 2);
                    loads.add(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
                    Run run = run(api, key, project, instances);
                    (instances == 1 ? one : two).add(run.figures());
                    measuredRun = run.id();
                    System.out.println("raw: " + run.figures());
                }
            }
            // one clip alone on an instance: the floor of a clip's time however many instances there are
            pool(b, "instance-b", false);
            String single = project(api, key, 1, "Bench one clip");
            List<Double> alone = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                alone.add(run(api, key, single, 1).figures().clipSpans().get(0));
            }
            // the hand-off's parts with no instance taking work: the broker part on the clip queue itself
            pool(a, "instance-a", false);
            HandOff handOff = handOff(measuredRun);
            System.out.println(report(one, two, median(alone), handOff, loads));
        } finally {
            if (b != null) {
                b.stop();
            }
            if (a != null) {
                a.stop();
            }
            FfmpegProcesses.under(dir).forEach(ProcessHandle::destroyForcibly);
            shared.dropDatabase();
        }
    }

    private static ServiceProcess start(String name) throws Exception {
        Map<String, String> settings = shared.settings(name, Files.createDirectories(dir.resolve(name)));
        settings.put("reelroute.admin-token", ADMIN_TOKEN);
        settings.put("reelroute.hawtio.user", HAWTIO_USER);
        settings.put("reelroute.hawtio.password", HAWTIO_PASSWORD);
        return ServiceProcess.start(String.join(",", ScaledOut.PROFILES), settings,
                Path.of("target", "clips-across-instances-bench", name + ".log"));
    }

    /** An instance in the pool (its work-taking routes started) or out of it (stopped), through Jolokia. */
    private static void pool(ServiceProcess instance, String name, boolean in) throws Exception {
        String credentials = "Basic " + Base64.getEncoder().encodeToString(
                (HAWTIO_USER + ":" + HAWTIO_PASSWORD).getBytes(StandardCharsets.UTF_8));
        for (String route : WORK_ROUTES) {
            String request = "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=reelroute-" + name + ","
                    + "type=routes,name=\\\"" + route + "\\\"\",\"operation\":\"" + (in ? "start()" : "stop()")
                    + "\"}";
            ApiClient.Response answer = instance.management().postBytes("/actuator/jolokia", "application/json",
                    request.getBytes(StandardCharsets.UTF_8), "Authorization", credentials);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().path("status").asInt()).as(answer.body()).isEqualTo(200);
        }
    }

    private static String newAccountKey(ApiClient api) throws Exception {
        ApiClient.Response created = api.postJsonWithHeaders("/admin/accounts", "{\"name\":\"bench\"}",
                "Authorization", "Bearer " + ADMIN_TOKEN);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("apiKey").asText();
    }

    /** {@code clips} clips of CLIP_SECONDS at 720p with 1 s transitions and music. */
    private static String project(ApiClient api, String key, int clips, String name) throws Exception {
        Path media = Files.createDirectories(dir.resolve("media"));
        ApiClient.Response project = api.postMultipart("/api/video-projects", key, List.of(
                Part.field("name", name), Part.field("transitionsEnabled", "true"), Part.field("resolution", "720p"),
                Part.field("musicVolume", "0.5"),
                Part.file("music", TestMedia.wav(media, clips * CLIP_SECONDS), "audio/wav")));
        assertThat(project.status()).as(project.body()).isEqualTo(201);
        String projectId = project.json().get("id").asText();
        for (int i = 0; i < clips; i++) {
            ApiClient.Response clip = api.postMultipart("/api/video-projects/" + projectId + "/clips", key,
                    List.of(Part.file("image", TestMedia.png(media, 1280 + 2 * i, 720), "image/png"),
                            Part.field("motionPrompt", i % 2 == 0 ? "slow zoom in" : "pan left"),
                            Part.field("durationSeconds", String.valueOf(CLIP_SECONDS))));
            assertThat(clip.status()).as(clip.body()).isEqualTo(201);
        }
        return projectId;
    }

    /**
     * Triggers a run of the project and watches it, every {@value #WATCH_MILLIS} ms, in the database the instances
     * share until it ends: when each clip was first seen rendering and stored, by which instance, and when the run
     * was. (Watched rather than read from the rows' own times: MySQL Connector/J sends MariaDB 10.x whole seconds,
     * see bench/README.md.)
     */
    private static Run run(ApiClient api, String key, String projectId, int instances) throws Exception {
        Instant triggered = Instant.now();
        ApiClient.Response answer = api.postJsonWithKey("/api/video-projects/generate", key,
                "{\"videoProjectId\":\"" + projectId + "\"}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        String runId = answer.json().get("runId").asText();
        Map<Integer, Instant> started = new HashMap<>();
        Map<Integer, Instant> stored = new HashMap<>();
        Map<Integer, String> renderedBy = new HashMap<>();
        String[] status = {null};
        try (java.sql.Connection db = shared.openDatabase();
             PreparedStatement clips = db.prepareStatement(
                     "SELECT position, status, rendered_by FROM run_clips WHERE run_id = ?");
             PreparedStatement job = db.prepareStatement("SELECT status FROM jobs WHERE id = ?")) {
            clips.setString(1, runId);
            job.setString(1, runId);
            await().atMost(RUN_TIMEOUT).pollInterval(Duration.ofMillis(WATCH_MILLIS)).until(() -> {
                Instant now = Instant.now();
                try (ResultSet row = clips.executeQuery()) {
                    while (row.next()) {
                        int position = row.getInt(1);
                        String clipStatus = row.getString(2);
                        if (!RunClip.PENDING.equals(clipStatus)) {
                            started.putIfAbsent(position, now);
                            renderedBy.put(position, row.getString(3));
                        }
                        if (RunClip.COMPLETED.equals(clipStatus)) {
                            stored.putIfAbsent(position, now);
                        }
                    }
                }
                try (ResultSet row = job.executeQuery()) {
                    row.next();
                    status[0] = row.getString(1);
                }
                return List.of("COMPLETED", "FAILED", "CANCELLED").contains(status[0]);
            });
        }
        Instant ended = Instant.now();
        assertThat(status[0]).as("run %s", runId).isEqualTo("COMPLETED");
        Instant firstStart = started.values().stream().min(Instant::compareTo).orElseThrow();
        Instant lastStored = stored.values().stream().max(Instant::compareTo).orElseThrow();
        Map<String, Integer> by = new TreeMap<>();
        renderedBy.values().forEach(instance -> by.merge(instance, 1, Integer::sum));
        RunFigures figures = new RunFigures(instances, seconds(triggered, ended), seconds(triggered, firstStart),
                seconds(firstStart, lastStored), seconds(lastStored, ended),
                started.keySet().stream().map(position -> seconds(started.get(position), stored.get(position)))
                        .sorted().toList(), by);
        return new Run(runId, figures);
    }

    private record Run(String id, RunFigures figures) {}

    /** The per-clip hand-off in its parts, each measured alone (medians, seconds) with the instances idle. */
    private record HandOff(double broker, double storage, double database, double segmentMegabytes,
                           double imageMegabytes) {}

    private static HandOff handOff(String runId) throws Exception {
        StorageRoundTrip storage = storageRoundTrip(runId);
        return new HandOff(brokerRoundTrip(), storage.seconds(), databaseHandOff(runId), storage.segmentMegabytes(),
                storage.imageMegabytes());
    }

    /** One clip message through the broker: sent persistent in a transaction, received in another, committed. */
    private static double brokerRoundTrip() throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(artemis.url() + "?consumerWindowSize=0",
                ExternalArtemis.APP_USER, ExternalArtemis.APP_PASSWORD);
        List<Double> trips = new ArrayList<>();
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session sending = connection.createSession(true, Session.SESSION_TRANSACTED);
            Session receiving = connection.createSession(true, Session.SESSION_TRANSACTED);
            // the clip queue itself, with its own address settings; no instance consumes it now
            Queue queue = sending.createQueue("reelroute.clips");
            MessageProducer producer = sending.createProducer(queue);
            MessageConsumer consumer = receiving.createConsumer(queue);
            for (int i = 0; i < 220; i++) {
                long started = System.nanoTime();
                var message = sending.createTextMessage("run-id");
                message.setIntProperty("clipPosition", i);
                producer.send(message);
                sending.commit();
                assertThat(consumer.receive(10_000)).isNotNull();
                receiving.commit();
                if (i >= 20) {
                    trips.add((System.nanoTime() - started) / 1e9);
                }
            }
        }
        return median(trips);
    }

    private record StorageRoundTrip(double seconds, double segmentMegabytes, double imageMegabytes) {}

    /** A clip's storage round trip: its two images downloaded (its own and the next clip's), its segment uploaded. */
    private static StorageRoundTrip storageRoundTrip(String runId) throws Exception {
        S3ProxyExtension.Server s3 = S3ProxyExtension.server();
        List<String[]> keys = new ArrayList<>();
        try (java.sql.Connection db = shared.openDatabase();
             PreparedStatement query = db.prepareStatement(
                     "SELECT image_key, segment_key FROM run_clips WHERE run_id = ? ORDER BY position")) {
            query.setString(1, runId);
            ResultSet row = query.executeQuery();
            while (row.next()) {
                keys.add(new String[] {row.getString(1), row.getString(2)});
            }
        }
        List<Double> trips = new ArrayList<>();
        long segmentBytes = 0;
        long imageBytes = 0;
        int images = 0;
        try (S3Client client = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()))).build()) {
            for (int pass = 0; pass < 3; pass++) {
                for (int position = 0; position < keys.size(); position++) {
                    String segmentKey = keys.get(position)[1];
                    String copyKey = "bench/segment-" + pass + "-" + position + ".mp4";
                    byte[] segment = client.getObjectAsBytes(r -> r.bucket(BUCKET).key(segmentKey)).asByteArray();
                    long started = System.nanoTime();
                    // its own image and the next clip's (the last clip has no next)
                    for (int at = position; at <= Math.min(position + 1, keys.size() - 1); at++) {
                        String imageKey = keys.get(at)[0];
                        imageBytes += client.getObjectAsBytes(r -> r.bucket(BUCKET).key(imageKey)).asByteArray()
                                .length;
                        images++;
                    }
                    client.putObject(r -> r.bucket(BUCKET).key(copyKey).contentType("video/mp4"),
                            RequestBody.fromBytes(segment));
                    trips.add((System.nanoTime() - started) / 1e9);
                    segmentBytes += segment.length;
                }
            }
        }
        return new StorageRoundTrip(median(trips), segmentBytes / 1e6 / trips.size(), imageBytes / 1e6 / images);
    }

    /**
     * A clip's statements on the shared database, through the service's own routes (project-run-stages.camel.yaml in
     * a plain Camel context): its claim, its start, its completion with the run's progress and log line, and the
     * last-clip check; on the rows of a finished run (the claim and the check then find nothing to change, the rest
     * rewrite what is there).
     */
    private static double databaseHandOff(String runId) throws Exception {
        try (java.sql.Connection connection = shared.openDatabase()) {
            SingleConnectionDataSource dataSource = new SingleConnectionDataSource(connection, true);
            NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            Clock clock = Clock.systemUTC();
            JobStore jobs = new JobStore(jdbc, transactions, clock);
            ProjectStore store = new ProjectStore(jdbc, jobs, transactions, clock);
            List<RunClip> clips = store.runClips(runId);
            List<Double> times = new ArrayList<>();
            try (ProjectRunStages stages = new ProjectRunStages(dataSource, clock, jobs)) {
                for (int round = 0; round < 5; round++) {
                    for (RunClip clip : clips) {
                        long started = System.nanoTime();
                        stages.takeClip(runId, clip.position(), "instance-a");
                        stages.startClip(runId, clip.position());
                        stages.completeClip(runId, clip.position(), clips.size(), clip.segmentKey(), clip.clipCost(),
                                clip.transitionCost());
                        stages.lastClipIn(runId);
                        times.add((System.nanoTime() - started) / 1e9);
                    }
                }
            }
            return median(times);
        }
    }

    private static String report(List<RunFigures> one, List<RunFigures> two, double alone, HandOff handOff,
                                 List<String> loads) {
        StringBuilder out = new StringBuilder("\n==== bench: clips across instances ====\n");
        out.append(String.format(Locale.ROOT, "%d clips of %d s at 720p, 1 s transitions, %d rounds; %d cores; "
                + "clip concurrency %d per instance; load averages at each run: %s%n", CLIPS, CLIP_SECONDS, ROUNDS,
                CORES, CLIP_CONCURRENCY, loads));
        out.append("| | 1 instance | 2 instances (same 2 cores) |\n|---|---|---|\n");
        row(out, "run, created to completed", one, two, RunFigures::total);
        row(out, "claim and split, to the first clip's start", one, two, RunFigures::toFirstClip);
        row(out, "clips, first start to last stored", one, two, RunFigures::clips);
        row(out, "compile and store, last clip to completed", one, two, RunFigures::compile);
        row(out, "a clip's span (render + segment upload), median", one, two, r -> median(r.clipSpans()));
        out.append(String.format(Locale.ROOT, "clips by instance (2 instances): %s%n",
                two.stream().map(RunFigures::clipsBy).toList()));
        out.append(String.format(Locale.ROOT, "one clip alone on an instance (span, median of 3): %.2f s%n", alone));
        double handOffSum = handOff.broker() + handOff.storage() + handOff.database();
        out.append(String.format(Locale.ROOT, "hand-off per clip, parts measured alone (medians): broker round trip "
                + "%.4f s; storage (its 2 images down, %.2f MB each; its %.2f MB segment up) %.4f s; database "
                + "(claim, start, completion, progress, log line, last-clip check) %.4f s; sum %.4f s%n",
                handOff.broker(), handOff.imageMegabytes(), handOff.segmentMegabytes(), handOff.storage(),
                handOff.database(), handOffSum));
        // the model: the clip phase of one instance is CPU-bound on its cores, so on n machines it divides by n,
        // down to a floor: each machine's share of the clips (at most CLIP_CONCURRENCY at once on its cores), each
        // taking one clip's span alone, plus the last clip's hand-off (the span holds its upload, not its claim and
        // images)
        double serial = median(one.stream().map(RunFigures::toFirstClip).toList())
                + median(one.stream().map(RunFigures::compile).toList());
        double clipPhase = median(one.stream().map(RunFigures::clips).toList());
        out.append(String.format(Locale.ROOT, "model: serial part (claim, split, compile, store) %.2f s; clip "
                + "phase on one instance %.2f s%n", serial, clipPhase));
        // what the shared parts carry while the clips are made: each clip's images and segment through storage, its
        // message and its statements; against what one stream of each managed when measured alone
        double clipMegabytes = 2 * handOff.imageMegabytes() + handOff.segmentMegabytes();
        out.append("| instances (each its own 2-core machine) | clip phase | run | speed-up | clips/s (each a message "
                + "and a clip's statements) | storage MB/s |\n|---|---|---|---|---|---|\n");
        for (int n : List.of(1, 2, 4, 8)) {
            int perMachine = (CLIPS + n - 1) / n;
            double floor = alone * Math.max(1.0, (double) Math.min(perMachine, CLIP_CONCURRENCY) / CORES)
                    * Math.ceil((double) perMachine / CLIP_CONCURRENCY) + handOffSum;
            double phase = Math.max(clipPhase / n, floor);
            double clipsPerSecond = CLIPS / phase;
            out.append(String.format(Locale.ROOT, "| %d | %.2f s | %.2f s | %.2fx | %.2f | %.2f |%n", n, phase,
                    serial + phase, (serial + clipPhase) / (serial + phase), clipsPerSecond,
                    clipsPerSecond * clipMegabytes));
        }
        out.append(String.format(Locale.ROOT, "one stream alone managed: storage %.1f MB/s (a clip's %.2f MB in "
                + "%.4f s), the broker %.0f clip messages/s, the database %.0f clips' statements/s; the serial part is "
                + "%.0f%% of the one-instance run (the most any number of instances can save is the rest)%n",
                clipMegabytes / handOff.storage(), clipMegabytes, handOff.storage(), 1 / handOff.broker(),
                1 / handOff.database(), 100 * serial / (serial + clipPhase)));
        return out.toString();
    }

    private static void row(StringBuilder out, String label, List<RunFigures> one, List<RunFigures> two,
                            ToDoubleFunction<RunFigures> figure) {
        out.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", label, spread(one, figure), spread(two, figure)));
    }

    private static String spread(List<RunFigures> runs, ToDoubleFunction<RunFigures> figure) {
        List<Double> values = runs.stream().map(figure::applyAsDouble).sorted().toList();
        return String.format(Locale.ROOT, "%.2f s (%.2f–%.2f)", median(values), values.get(0),
                values.get(values.size() - 1));
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }


}
