package dev.reelroute.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.JmsSubmitter;
import dev.reelroute.support.LocalReceiversServiceTest;
import dev.reelroute.support.StoredFiles;
import dev.reelroute.support.TestJwts;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.Tokens;
import dev.reelroute.support.WebhookReceiver;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Account B against account A's work, every operation the API documents list when the test runs (so a new operation
 * is walked without touching this test) and every JMS request kind the service takes. A has a completed job of every
 * kind, uploaded videos, a project with clips and a completed run, webhook deliveries, signed file links and a share
 * page. B, with its API key (in either header) and a JWT naming it, gets the surface's 404 or 403 on every read,
 * change, cancel, delete, redeliver and download of A's resources, in the surface's error body and exactly as for a
 * resource that does not exist; a credential an operation does not take at all gets its 401 instead. B's lists show
 * nothing of A's, B's creates cannot name A's resources, and afterwards A's rows and stored files are as they were
 * and A's links still work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantIsolationTest extends LocalReceiversServiceTest {
    private static final Duration JOB_TIME = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VIDEO_MODEL = "veo-3.1-fast-generate-preview";

    /**
     * The JMS request kinds, one line each: the request with {@code $image} / {@code $audio} where an input goes.
     * A kind the service takes that is not here fails the test.
     */
    private static final List<JmsRequest> JMS_REQUESTS = List.of(
            new JmsRequest("image-audio", "{\"kind\":\"image-audio\",\"image\":\"$image\",\"audio\":\"$audio\"}"),
            new JmsRequest("video-job", videoJob("\"initialImage\":\"$image\",\"endFrame\":\"$image\"")),
            new JmsRequest("video-job", videoJob("\"referenceImages\":[\"$image\",\"$image\"]")),
            new JmsRequest("generate", "{\"kind\":\"generate\",\"prompt\":\"a red kite\"}"),
            new JmsRequest("video-project", "{\"kind\":\"video-project\",\"music\":\"$audio\",\"clips\":"
                    + "[{\"image\":\"$image\",\"durationSeconds\":2},{\"image\":\"$image\",\"durationSeconds\":2}]}"),
            new JmsRequest("style-transfer", "{\"kind\":\"style-transfer\",\"source\":\"$video\",\"template\":\"$video\"}"));

    /** Where an input goes in a JMS request line, and which of B's own stored inputs fills it otherwise. */
    private static final Pattern INPUT = Pattern.compile("\\$(image|audio|video)");

    @Autowired
    CamelContext camel;
    @Autowired
    ConnectionFactory connectionFactory;

    /** What a path parameter or a body field can name. */
    enum Kind { JOB, VIDEO, PROJECT, CLIP, RUN, ACCOUNT, KEY, SHARE_TOKEN, WEBHOOK_EVENT }

    /** The credentials B holds; which an operation takes is what its document's security says. */
    enum Credential { API_KEY_HEADER, API_KEY_BEARER, JWT, RUN_TOKEN }

    record Tenant(String accountId, String keyId, String key, String jwt) {
        /** The tenant's API key in X-API-Key, then {@code more} headers. */
        String[] credentialHeaders(String... more) {
            return concat(new String[] {"X-API-Key", key}, more);
        }

        String[] headers(Credential credential, String runToken) {
            return switch (credential) {
                case API_KEY_HEADER -> new String[] {"X-API-Key", key};
                case API_KEY_BEARER -> new String[] {"Authorization", "Bearer " + key};
                case JWT -> new String[] {"Authorization", "Bearer " + jwt};
                case RUN_TOKEN -> new String[] {"Authorization", "Bearer " + runToken};
            };
        }
    }

    record JmsRequest(String kind, String template) {}

    /** One operation of one API document. */
    record Op(String surface, String method, String path, JsonNode operation, JsonNode document) {
        String name() {
            return method + " " + path;
        }

        List<String> pathParameters() {
            Set<String> names = new LinkedHashSet<>();
            operation.path("parameters").forEach(p -> {
                if ("path".equals(p.path("in").asText())) {
                    names.add(p.path("name").asText());
                }
            });
            Matcher template = Pattern.compile("\\{([^}]+)}").matcher(path);
            while (template.find()) {
                names.add(template.group(1));
            }
            return List.copyOf(names);
        }

        /** The security schemes the operation takes (its own, else its document's); empty: no credential needed. */
        Set<String> schemes() {
            JsonNode security = operation.has("security") ? operation.get("security") : document.path("security");
            Set<String> schemes = new LinkedHashSet<>();
            security.forEach(requirement -> requirement.fieldNames().forEachRemaining(schemes::add));
            return schemes;
        }

        boolean documents(int status) {
            return operation.path("responses").has(String.valueOf(status));
        }

        List<String> queryParameters() {
            List<String> names = new ArrayList<>();
            operation.path("parameters").forEach(p -> {
                if ("query".equals(p.path("in").asText())) {
                    names.add(p.path("name").asText());
                }
            });
            return names;
        }

        boolean hasHeader(String name) {
            for (JsonNode p : operation.path("parameters")) {
                if ("header".equals(p.path("in").asText()) && name.equalsIgnoreCase(p.path("name").asText())) {
                    return true;
                }
            }
            return false;
        }

        /** The request body's media type and schema ($ref resolved), if it has one. */
        Optional<Map.Entry<String, JsonNode>> body() {
            Iterator<Map.Entry<String, JsonNode>> content = operation.path("requestBody").path("content").fields();
            if (!content.hasNext()) {
                return Optional.empty();
            }
            Map.Entry<String, JsonNode> first = content.next();
            return Optional.of(Map.entry(first.getKey(), resolve(first.getValue().path("schema"))));
        }

        JsonNode resolve(JsonNode schema) {
            String ref = schema.path("$ref").asText("");
            if (ref.startsWith("#/")) {
                return document.at(ref.substring(1));
            }
            return schema;
        }
    }

    @TempDir
    static Path media;
    private Tenant a;
    private Tenant b;
    private final Map<Kind, List<String>> aOwns = new EnumMap<>(Kind.class);
    private final Map<Kind, List<String>> bOwns = new EnumMap<>(Kind.class);
    private final List<String> aIdempotencyKeys = new ArrayList<>();
    /** A's signed links, with the bytes each served when A got it. */
    private final Map<String, byte[]> aLinks = new LinkedHashMap<>();
    private String aShareLink;
    private String aRunToken;
    private String aImageAudioJob;
    private String bRunToken;
    private String bImageKey;
    private String bAudioKey;
    private String bVideoKey;
    private String bSignedLink;
    private WebhookReceiver receiver;
    private Map<String, List<Map<String, Object>>> rowsBefore;
    private Map<String, String> filesBefore;
    /** Each of A's ids that was asked for, and the id of nothing asked for in its place. */
    private final Map<String, String> fakes = new LinkedHashMap<>();

    @BeforeAll
    void accountAsWork() throws Exception {
        api = new ApiClient(port);
        receiver = new WebhookReceiver();
        a = tenant("tenant-a");
        b = tenant("tenant-b");
        Path image = TestMedia.png(media, 320, 180);
        Path audio = TestMedia.wav(media, 1.0);

        // A: a job of every kind, created through the API with idempotency keys of its own
        String imageAudio = created(api.postMultipartWithHeaders("/api/jobs", List.of(
                Part.file("image", image, "image/png"), Part.file("audio", audio, "audio/wav"),
                Part.field("webhookUrl", receiver.url("/a"))), a.credentialHeaders("Idempotency-Key", idem())),
                201).get("jobId").asText();
        String videoJob = created(api.postMultipartWithHeaders("/api/v1/video-jobs", List.of(
                Part.field("prompt", "A slow zoom in"), Part.field("model", VIDEO_MODEL),
                Part.field("resolution", "720p"), Part.field("aspectRatio", "16:9"), Part.field("durationSeconds", "4"),
                Part.field("mockMode", "true"), Part.file("initialImage", image, "image/png")),
                a.credentialHeaders("Idempotency-Key", idem())), 202).get("id").asText();
        String generate = created(api.postJsonWithHeaders("/api/generate", "{\"prompt\":\"a red kite\"}",
                a.credentialHeaders("Idempotency-Key", idem())), 202).get("job_id").asText();
        String source = uploadVideo(a, "source.mp4", "testsrc2=size=320x180:rate=25");
        String template = uploadVideo(a, "template.mp4", "smptebars=size=320x180:rate=25");
        String style = created(api.postJsonWithHeaders("/api/v1/jobs", "{\"video_id\":\"" + source
                + "\",\"template_video_id\":\"" + template + "\"}", a.credentialHeaders("Idempotency-Key", idem())),
                202).get("data").get("job_id").asText();
        String project = created(api.postMultipart("/api/video-projects", a.key(), List.of(
                Part.field("name", "A's project"), Part.file("music", audio, "audio/wav"))), 201).get("id").asText();
        List<String> clips = new ArrayList<>();
        for (String motion : List.of("slow zoom in", "pan left")) {
            clips.add(created(api.postMultipart("/api/video-projects/" + project + "/clips", a.key(), List.of(
                    Part.file("image", image, "image/png"), Part.field("motionPrompt", motion),
                    Part.field("durationSeconds", "2"))), 201).get("id").asText());
        }
        JsonNode run = created(api.postJsonWithKey("/api/video-projects/generate", a.key(),
                "{\"videoProjectId\":\"" + project + "\"}"), 200);
        aRunToken = run.get("publicAccessToken").asText();
        aImageAudioJob = imageAudio;

        // B: a project with a clip and a run (its own run token and signed links), and an image + audio job (its
        // own stored inputs, for the JMS requests)
        String bProject = created(api.postMultipart("/api/video-projects", b.key(), List.of(
                Part.field("name", "B's project"), Part.field("transitionsEnabled", "false"))), 201).get("id").asText();
        String bClip = created(api.postMultipart("/api/video-projects/" + bProject + "/clips", b.key(), List.of(
                Part.file("image", image, "image/png"), Part.field("motionPrompt", "static"),
                Part.field("durationSeconds", "1"))), 201).get("id").asText();
        bRunToken = created(api.postJsonWithKey("/api/video-projects/generate", b.key(),
                "{\"videoProjectId\":\"" + bProject + "\"}"), 200).get("publicAccessToken").asText();
        String bJob = created(api.submit(b.key(), image, "image/png", audio, "audio/wav", null), 201)
                .get("jobId").asText();
        String bVideo = uploadVideo(b, "b-source.mp4", "testsrc2=size=160x90:rate=25");

        JsonNode aStatus = awaitJson("/api/status/" + imageAudio, a,
                s -> s.path("status").asText().equals("COMPLETED"));
        JsonNode aVideoJob = awaitJson("/api/v1/video-jobs/" + videoJob, a,
                s -> s.path("status").asText().equals("SUCCEEDED"));
        JsonNode aGenerated = awaitJson("/api/status/" + generate, a,
                s -> s.path("status").asText().equals("completed"));
        awaitJson("/api/v1/jobs/" + style, a, s -> s.path("data").path("status").asText().equals("completed"));
        String styleOutput = api.get("/api/v1/jobs/" + style + "/result", a.key()).json().get("data")
                .get("output_video_url").asText();
        JsonNode aProject = awaitJson("/api/video-projects/" + project, a,
                s -> s.path("status").asText().equals("completed"));
        JsonNode bProjectDone = awaitJson("/api/video-projects/" + bProject, b,
                s -> s.path("status").asText().equals("completed"));
        awaitJson("/api/status/" + bJob, b, s -> s.path("status").asText().equals("COMPLETED"));
        JsonNode deliveries = awaitJson("/api/jobs/" + imageAudio + "/webhook-deliveries", a,
                s -> s.path("deliveries").size() > 0);
        assertThat(receiver.next(30, TimeUnit.SECONDS)).as("A's webhook").isNotNull();

        aOwns.put(Kind.JOB, List.of(imageAudio, videoJob, generate, style));
        aOwns.put(Kind.VIDEO, List.of(source, template));
        aOwns.put(Kind.PROJECT, List.of(project));
        aOwns.put(Kind.CLIP, clips);
        aOwns.put(Kind.RUN, List.of(run.get("runId").asText()));
        aOwns.put(Kind.ACCOUNT, List.of(a.accountId()));
        aOwns.put(Kind.KEY, List.of(a.keyId()));
        aOwns.put(Kind.SHARE_TOKEN, List.of(lastSegment(aStatus.get("outputShareLink").asText())));
        aOwns.put(Kind.WEBHOOK_EVENT, List.of(deliveries.get("deliveries").get(0).get("eventId").asText()));
        bOwns.put(Kind.PROJECT, List.of(bProject));
        bOwns.put(Kind.CLIP, List.of(bClip));
        bOwns.put(Kind.VIDEO, List.of(bVideo));

        aShareLink = aStatus.get("outputShareLink").asText();
        for (String link : List.of(aStatus.get("outputVideo").asText(), aVideoJob.get("videoUrl").asText(),
                aGenerated.get("output").get("video_url").asText(),
                styleOutput, aProject.get("finalVideoUrl").asText(),
                aProject.get("clips").get(0).get("imageUrl").asText(), aProject.get("backgroundMusicUrl").asText())) {
            ApiClient.Response download = api.getAbsolute(link, null);
            assertThat(download.status()).as(link).isEqualTo(200);
            aLinks.put(link, download.bytes());
        }
        bSignedLink = bProjectDone.get("finalVideoUrl").asText();
        bImageKey = jdbc.queryForObject("SELECT input_image_key FROM jobs WHERE id = ?", String.class, bJob);
        bAudioKey = jdbc.queryForObject("SELECT input_audio_key FROM jobs WHERE id = ?", String.class, bJob);
        bVideoKey = jdbc.queryForObject("SELECT storage_key FROM videos WHERE id = ?", String.class, bVideo);

        rowsBefore = rowsOf(a.accountId());
        filesBefore = storedFiles();
    }

    @AfterAll
    void stopReceiver() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @TestFactory
    Stream<DynamicNode> accountBCannotReachAccountAsWork() throws Exception {
        List<DynamicNode> nodes = new ArrayList<>();
        for (JsonNode surface : api.get("/api-docs/surfaces.json", null).json()) {
            String name = surface.get("name").asText();
            JsonNode document = api.get(surface.get("url").asText(), null).json();
            List<DynamicNode> operations = new ArrayList<>();
            document.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
                if (!List.of("get", "put", "post", "delete", "patch").contains(op.getKey())) {
                    return;
                }
                Op operation = new Op(name, op.getKey().toUpperCase(Locale.ROOT), path.getKey(), op.getValue(),
                        document);
                operations.add(dynamicTest(operation.name(), () -> walk(operation)));
            }));
            nodes.add(dynamicContainer(name + " (" + operations.size() + " operations)", operations));
        }
        nodes.add(dynamicContainer("JMS requests", jmsKinds().stream()
                .map(kind -> dynamicTest(kind, () -> jmsKindRefusesAsInputs(kind))).toList()));
        nodes.add(dynamicTest("signed file links cannot be bent to another file", this::signedLinksCannotBeBent));
        nodes.add(dynamicTest("share pages need the job's own token", this::sharePagesNeedTheirToken));
        nodes.add(dynamicTest("the dashboard list and a run's event stream by ?token=",
                this::servedOutsideTheDocuments));
        nodes.add(dynamicTest("A's data is unchanged and its links still work", this::asDataIsUnchanged));
        return nodes.stream();
    }

    // ---- the operations of the documents

    private void walk(Op op) throws Exception {
        List<String> parameters = op.pathParameters();
        for (String parameter : parameters) {
            kindOf(parameter, op.path());
        }
        if (parameters.isEmpty()) {
            walkCollection(op);
        } else {
            walkResource(op, parameters);
        }
    }

    /** An operation on A's resource: every combination of the path parameters that names at least one of A's. */
    private void walkResource(Op op, List<String> parameters) throws Exception {
        List<Map<String, String>> combinations = combinations(op, parameters);
        // a status read that holds for a change (Prefer: wait=N) is a second way in
        List<String[]> variants = op.hasHeader("Prefer")
                ? List.of(new String[0], new String[] {"Prefer", "wait=1"}) : List.<String[]>of(new String[0]);
        for (Map<String, String> values : combinations) {
            for (Credential credential : Credential.values()) {
                for (String[] extra : variants) {
                    refusesB(op, values, credential, extra);
                }
            }
        }
        if (op.method().equals("GET")) {
            // the walk named A's real resources: A itself reads at least one of these combinations
            boolean aReadsOne = false;
            for (Map<String, String> values : combinations) {
                if (values.values().stream().allMatch(this::isAs)) {
                    int status = api.exchange("GET", fill(op.path(), values), null, null, aCredential(op)).status();
                    aReadsOne |= status >= 200 && status < 400;
                }
            }
            assertThat(aReadsOne).as(op.name() + ": A reads its own resource there").isTrue();
        }
    }

    /** B's request naming A's resources gets the surface's refusal, the same as for resources that do not exist. */
    private void refusesB(Op op, Map<String, String> values, Credential credential, String[] extra) throws Exception {
        String what = op.surface() + " " + op.name() + " " + values + " with B's " + credential
                + (extra.length == 0 ? "" : " and " + String.join(": ", extra));
        String[] headers = concat(b.headers(credential, bRunToken), extra);
        ApiClient.Response answer = send(op, values, headers, field -> aIds(op, field, false));
        ApiClient.Response forNothing = send(op, fakes(values), headers, field -> aIds(op, field, true));
        int status = answer.status();
        if (takes(op, credential) && !op.schemes().contains("RunAccessToken")) {
            // naming B's own parent with A's child may also be a 400 (e.g. A's clip ids in B's project's order)
            Set<Integer> allowed = values.values().stream().allMatch(this::isAs)
                    ? Set.of(403, 404) : Set.of(400, 403, 404);
            assertThat(status).as(what + ": " + answer.body()).isIn(allowed);
            assertThat(op.documents(status)).as(what + ": the document lists its " + status).isTrue();
        } else {
            // the operation does not take this credential at all (a JWT on the jobs API, anything but the run's own
            // token on a run, anything but the admin token on /admin): refused before any lookup
            assertThat(status).as(what + " is refused as a credential: " + answer.body()).isEqualTo(401);
        }
        assertErrorBody(op.surface(), answer, what);
        assertThat(normalized(answer)).as(what + ": the same answer as for nothing").isEqualTo(normalized(forNothing));
    }

    /** A list or a create: B's lists hold nothing of A's, and B's creates cannot name A's resources. */
    private void walkCollection(Op op) throws Exception {
        for (Credential credential : Credential.values()) {
            String what = op.surface() + " " + op.name() + " with B's " + credential;
            if (!op.schemes().isEmpty() && !takes(op, credential)) {
                ApiClient.Response answer = send(op, Map.of(), b.headers(credential, bRunToken),
                        field -> aIds(op, field, false));
                assertThat(answer.status()).as(what + " is refused as a credential: " + answer.body()).isEqualTo(401);
                assertErrorBody(op.surface(), answer, what);
                continue;
            }
            if (op.method().equals("GET")) {
                // a read of B's own: answered (or refused for a parameter it lacks), never with A's data
                ApiClient.Response answer = send(op, Map.of(), b.headers(credential, bRunToken), field -> List.of());
                assertThat(answer.status() / 100).as(what + ": " + answer.body()).isIn(2, 4);
                for (String secret : aSecrets()) {
                    assertThat(answer.body()).as(what + " shows nothing of A's").doesNotContain(secret);
                }
                // a query parameter given one of A's ids (a cursor, a filter) answers as for an id of nothing
                for (String parameter : op.queryParameters()) {
                    for (String aId : aOwns.values().stream().flatMap(List::stream).toList()) {
                        String query = op.path() + "?" + parameter + "=";
                        ApiClient.Response withA = api.exchange("GET", query + aId, null, null,
                                b.headers(credential, bRunToken));
                        ApiClient.Response withNothing = api.exchange("GET", query + fake(aId), null, null,
                                b.headers(credential, bRunToken));
                        assertThat(normalized(withA)).as(what + " ?" + parameter + "=" + aId)
                                .isEqualTo(normalized(withNothing));
                    }
                }
                continue;
            }
            for (String aField : bodyNamesResources(op)) {
                // one field names A's resources, the others B's own where B has one of their kind
                ApiClient.Response answer = send(op, Map.of(), b.headers(credential, bRunToken),
                        field -> field.equals(aField) ? aIds(op, field, false) : bIdsElseAs(op, field));
                ApiClient.Response forNothing = send(op, Map.of(), b.headers(credential, bRunToken),
                        field -> field.equals(aField) ? aIds(op, field, true) : bIdsElseAs(op, field));
                assertThat(answer.status()).as(what + " naming A's resources in " + aField + ": " + answer.body())
                        .isIn(400, 403, 404);
                assertThat(op.documents(answer.status())).as(what + ": the document lists its " + answer.status())
                        .isTrue();
                assertErrorBody(op.surface(), answer, what);
                assertThat(normalized(answer)).as(what + ": the same answer as for nothing")
                        .isEqualTo(normalized(forNothing));
            }
            if (op.hasHeader("Idempotency-Key")) {
                // A's idempotency keys are A's: with B's credential they answer as a key never used
                ApiClient.Response fresh = sendEmpty(op, credential, "isolation-" + UUID.randomUUID());
                for (String key : aIdempotencyKeys) {
                    ApiClient.Response answer = sendEmpty(op, credential, key);
                    assertThat(answer.status()).as(what + " with A's Idempotency-Key").isEqualTo(fresh.status());
                    assertThat(answer.body()).as(what + " with A's Idempotency-Key").isEqualTo(fresh.body());
                }
            }
        }
    }

    private List<Map<String, String>> combinations(Op op, List<String> parameters) {
        List<Map<String, String>> combinations = new ArrayList<>();
        combinations.add(new LinkedHashMap<>());
        for (String parameter : parameters) {
            Kind kind = kindOf(parameter, op.path());
            List<String> values = new ArrayList<>(aOwns.getOrDefault(kind, List.of()));
            assertThat(values).as("A has a resource of kind " + kind + " for " + op.name()).isNotEmpty();
            values.addAll(bOwns.getOrDefault(kind, List.of()));
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> combination : combinations) {
                for (String value : values) {
                    Map<String, String> extended = new LinkedHashMap<>(combination);
                    extended.put(parameter, value);
                    next.add(extended);
                }
            }
            combinations = next;
        }
        Set<String> bs = new LinkedHashSet<>();
        bOwns.values().forEach(bs::addAll);
        combinations.removeIf(combination -> bs.containsAll(combination.values()));
        return combinations;
    }

    /**
     * Sends the operation with the headers and the path filled from {@code values}; a body, when the operation has
     * one, of sample values and, in a field that names resources, the ids {@code idsOf} gives for it.
     */
    private ApiClient.Response send(Op op, Map<String, String> values, String[] headers,
                                    Function<String, List<String>> idsOf) throws Exception {
        String path = fill(op.path(), values);
        Optional<Map.Entry<String, JsonNode>> body = op.body();
        if (body.isEmpty()) {
            return api.exchange(op.method(), path, null, null, headers);
        }
        String mediaType = body.get().getKey();
        JsonNode schema = body.get().getValue();
        if (mediaType.startsWith("multipart/")) {
            List<Part> parts = new ArrayList<>();
            schema.path("properties").fields().forEachRemaining(field -> {
                String name = field.getKey();
                JsonNode property = field.getValue();
                if ("binary".equals(property.path("format").asText())) {
                    parts.add(Part.file(name, sampleFile(name), sampleType(name), readSample(name)));
                } else if (namesResource(name)) {
                    parts.add(Part.field(name, idsOf.apply(name).get(0)));
                } else if (required(schema, name)) {
                    parts.add(Part.field(name, sample(property).asText()));
                }
            });
            ApiClient.Multipart multipart = ApiClient.multipart(parts);
            return api.exchange(op.method(), path, multipart.contentType(), multipart.body(), headers);
        }
        ObjectNode json = JSON.createObjectNode();
        schema.path("properties").fields().forEachRemaining(field -> {
            String name = field.getKey();
            JsonNode property = op.resolve(field.getValue());
            if (namesResource(name)) {
                List<String> ids = idsOf.apply(name);
                if ("array".equals(property.path("type").asText())) {
                    ArrayNode array = json.putArray(name);
                    ids.forEach(array::add);
                } else {
                    json.put(name, ids.get(0));
                }
            } else if (required(schema, name)) {
                json.set(name, sample(property));
            }
        });
        return api.exchange(op.method(), path, "application/json", JSON.writeValueAsBytes(json), headers);
    }

    /** A create with an empty body: only the idempotency key differs between two of them. */
    private ApiClient.Response sendEmpty(Op op, Credential credential, String idempotencyKey) throws Exception {
        String[] headers = concat(b.headers(credential, bRunToken), "Idempotency-Key", idempotencyKey);
        String mediaType = op.body().map(Map.Entry::getKey).orElse("application/json");
        if (mediaType.startsWith("multipart/")) {
            ApiClient.Multipart multipart = ApiClient.multipart(List.of(Part.field("unrelated", "x")));
            return api.exchange(op.method(), op.path(), multipart.contentType(), multipart.body(), headers);
        }
        return api.exchange(op.method(), op.path(), "application/json", "{}".getBytes(), headers);
    }

    private List<String> bodyNamesResources(Op op) {
        List<String> names = new ArrayList<>();
        op.body().ifPresent(body -> body.getValue().path("properties").fieldNames().forEachRemaining(name -> {
            if (namesResource(name)) {
                names.add(name);
            }
        }));
        return names;
    }

    /** A's ids of the kind a body field names (ids of nothing, in the same shape, when {@code nothing}). */
    private List<String> aIds(Op op, String field, boolean nothing) {
        List<String> ids = aOwns.get(kindOf(field, op.path()));
        return nothing ? ids.stream().map(this::fake).toList() : ids;
    }

    /** B's own ids of the kind a body field names, or A's where B has none of that kind. */
    private List<String> bIdsElseAs(Op op, String field) {
        List<String> own = bOwns.getOrDefault(kindOf(field, op.path()), List.of());
        return own.isEmpty() ? aIds(op, field, false) : own;
    }

    /** True for the operation taking this kind of credential (by the security schemes its document gives it). */
    private static boolean takes(Op op, Credential credential) {
        for (String scheme : op.schemes()) {
            boolean takes = switch (scheme) {
                case "ApiKey" -> credential == Credential.API_KEY_HEADER;
                case "BearerApiKey" -> credential == Credential.API_KEY_BEARER;
                case "Bearer" -> credential == Credential.API_KEY_BEARER || credential == Credential.JWT;
                case "RunAccessToken" -> credential == Credential.RUN_TOKEN;
                case "AdminToken" -> false;
                default -> throw new AssertionError(op.name() + ": say which credential the security scheme "
                        + scheme + " takes");
            };
            if (takes) {
                return true;
            }
        }
        return false;
    }

    /** The credential A reads its own resources with on this operation. */
    private String[] aCredential(Op op) {
        if (op.schemes().contains("RunAccessToken")) {
            return new String[] {"Authorization", "Bearer " + aRunToken};
        }
        if (op.schemes().contains("AdminToken")) {
            return new String[] {"Authorization", "Bearer " + ADMIN_TOKEN};
        }
        return new String[] {"X-API-Key", a.key()};
    }

    // ---- what a parameter names

    /** True for a name that names a resource: an id, ids or a token. */
    static boolean namesResource(String name) {
        return name.equals("id") || name.equals("ids") || name.endsWith("Id") || name.endsWith("Ids")
                || name.endsWith("_id") || name.endsWith("_ids") || name.equalsIgnoreCase("token")
                || name.endsWith("Token") || name.endsWith("_token");
    }

    /** The kind of resource a path parameter or body field names; a name the test cannot map fails it. */
    static Kind kindOf(String name, String path) {
        String normalized = name.toLowerCase(Locale.ROOT).replace("_", "");
        if (normalized.equals("id") || normalized.equals("ids") || normalized.equals("token")) {
            // a bare {id}: what the path segment before it names, e.g. /video-jobs/{id}
            String[] segments = path.substring(0, Math.max(0, path.indexOf("{" + name + "}"))).split("/");
            String owner = segments.length == 0 ? "" : segments[segments.length - 1];
            normalized = owner.toLowerCase(Locale.ROOT).replace("-", "").replaceAll("s$", "") + normalized;
        }
        normalized = normalized.replaceAll("s$", "");
        for (Map.Entry<String, Kind> suffix : Map.of("projectid", Kind.PROJECT, "clipid", Kind.CLIP,
                "videoid", Kind.VIDEO, "jobid", Kind.JOB, "runid", Kind.RUN, "accountid", Kind.ACCOUNT,
                "keyid", Kind.KEY, "eventid", Kind.WEBHOOK_EVENT, "sharetoken", Kind.SHARE_TOKEN).entrySet()) {
            if (normalized.endsWith(suffix.getKey())) {
                return suffix.getValue();
            }
        }
        throw new AssertionError("map this parameter: '" + name + "' of " + path + " names no kind of resource the"
                + " test knows; give account A a resource of its kind and add it to TenantIsolationTest.kindOf");
    }

    /** Every string of A's that B must never see: ids, tokens, keys of stored files. */
    private Set<String> aSecrets() {
        Set<String> secrets = new LinkedHashSet<>();
        aOwns.values().forEach(secrets::addAll);
        secrets.add(a.key());
        secrets.add(aRunToken);
        secrets.addAll(filesBefore.keySet().stream().filter(key -> aOwns.values().stream().flatMap(List::stream)
                .anyMatch(key::contains)).toList());
        return secrets;
    }

    // ---- JMS

    /** The kinds the service takes, from its own refusal of an unknown one; each must have a request here. */
    private List<String> jmsKinds() throws Exception {
        try (JmsSubmitter producer = new JmsSubmitter(connectionFactory)) {
            producer.send("{\"kind\":\"no-such-kind\"}", b.key(), "kinds-" + UUID.randomUUID());
            String message = JmsSubmitter.json(producer.reply(30_000)).get("error").get("message").asText();
            assertThat(message).startsWith("kind must be one of ");
            return List.of(message.substring("kind must be one of ".length()).split(",\\s*"));
        }
    }

    /**
     * B names each of A's stored files in each input of the kind's requests (B's own inputs in the others): refused
     * VALIDATION_ERROR with the very message a key of nothing gets.
     */
    private void jmsKindRefusesAsInputs(String kind) throws Exception {
        List<JmsRequest> requests = JMS_REQUESTS.stream().filter(r -> r.kind().equals(kind)).toList();
        assertThat(requests).as("map this JMS kind: add a line for '" + kind + "' to TenantIsolationTest"
                + ".JMS_REQUESTS").isNotEmpty();
        List<String> aFiles = filesBefore.keySet().stream().filter(key -> aSecrets().contains(key)).toList();
        assertThat(aFiles).isNotEmpty();
        int before = jobRows();
        try (JmsSubmitter producer = new JmsSubmitter(connectionFactory)) {
            for (JmsRequest request : requests) {
                long slots = INPUT.matcher(request.template()).results().count();
                for (int slot = 0; slot < slots; slot++) {
                    JsonNode forNothing = jmsAnswer(producer, withInputs(request.template(), slot,
                            "jobs/" + fake(aImageAudioJob) + "/input-image.png"));
                    assertThat(forNothing.path("error").path("code").asText()).as(forNothing.toString())
                            .isEqualTo("VALIDATION_ERROR");
                    for (String aFile : aFiles) {
                        JsonNode answer = jmsAnswer(producer, withInputs(request.template(), slot, aFile));
                        assertThat(answer).as(kind + " input " + slot + " = A's " + aFile).isEqualTo(forNothing);
                    }
                }
            }
        }
        assertThat(jobRows()).as("no job was made").isEqualTo(before);
    }

    /** The template with input {@code slot} set to {@code key} and every other input to B's own stored input. */
    private String withInputs(String template, int slot, String key) {
        Matcher inputs = INPUT.matcher(template);
        StringBuilder request = new StringBuilder();
        int index = 0;
        while (inputs.find()) {
            String own = switch (inputs.group(1)) {
                case "image" -> bImageKey;
                case "audio" -> bAudioKey;
                default -> bVideoKey;
            };
            inputs.appendReplacement(request, Matcher.quoteReplacement(index++ == slot ? key : own));
        }
        inputs.appendTail(request);
        return request.toString();
    }

    private JsonNode jmsAnswer(JmsSubmitter producer, String request) throws Exception {
        String correlationId = "isolation-" + UUID.randomUUID();
        producer.send(request, b.key(), correlationId);
        TextMessage reply = producer.reply(30_000);
        assertThat(reply).as("an answer to " + request).isNotNull();
        assertThat(reply.getJMSCorrelationID()).isEqualTo(correlationId);
        return JmsSubmitter.json(reply);
    }

    private static String videoJob(String inputs) {
        return "{\"kind\":\"video-job\",\"prompt\":\"zoom in\",\"model\":\"" + VIDEO_MODEL + "\",\"resolution\":"
                + "\"720p\",\"aspectRatio\":\"16:9\",\"durationSeconds\":4,\"mockMode\":true," + inputs + "}";
    }

    // ---- signed links and share pages

    private void signedLinksCannotBeBent() throws Exception {
        List<URI> links = new ArrayList<>(aLinks.keySet().stream().map(URI::create).toList());
        URI bLink = URI.create(bSignedLink);
        assertThat(api.getAbsolute(bSignedLink, null).status()).as("B's own link").isEqualTo(200);
        for (URI link : links) {
            // A's signature on another of A's files, B's signature on A's file, A's signature with a later expiry
            for (URI other : links) {
                if (!other.getPath().equals(link.getPath())) {
                    assertNotServed(origin(link) + other.getRawPath() + "?" + link.getRawQuery(), link);
                }
            }
            assertNotServed(origin(link) + link.getRawPath() + "?" + bLink.getRawQuery(), link);
            String expires = link.getRawQuery().replaceAll(".*expires=(\\d+).*", "$1");
            assertNotServed(origin(link) + link.getRawPath() + "?" + link.getRawQuery()
                    .replace("expires=" + expires, "expires=" + (Long.parseLong(expires) + 3600)), link);
            assertNotServed(origin(link) + link.getRawPath(), link);
            // up out of B's own file's folder into A's
            String bFolder = bLink.getRawPath().substring(0, bLink.getRawPath().lastIndexOf('/'));
            String aKey = link.getRawPath().substring("/files/".length());
            assertNotServed(origin(link) + bFolder + "/../../" + aKey + "?" + bLink.getRawQuery(), link);
            assertNotServed(origin(link) + bFolder + "/%2e%2e/%2e%2e/" + aKey + "?" + bLink.getRawQuery(), link);
        }
    }

    private void assertNotServed(String url, URI original) throws Exception {
        ApiClient.Response answer = api.getAbsolute(url, null);
        assertThat(answer.status()).as(url + ": " + answer.body()).isIn(400, 403, 404);
        for (byte[] bytes : aLinks.values()) {
            assertThat(answer.bytes()).as(url).isNotEqualTo(bytes);
        }
    }

    private void sharePagesNeedTheirToken() throws Exception {
        ApiClient.Response page = api.getAbsolute(aShareLink, null);
        assertThat(page.status()).isEqualTo(200);
        String token = lastSegment(aShareLink);
        String base = aShareLink.substring(0, aShareLink.length() - token.length());
        ApiClient.Response forNothing = api.getAbsolute(base + fake(token), null);
        assertThat(forNothing.status()).isEqualTo(404);
        char last = token.charAt(token.length() - 1);
        List<String> forged = new ArrayList<>(List.of(
                token.substring(0, token.length() - 1) + (last == 'a' ? 'b' : 'a'),
                token.equals(token.toUpperCase(Locale.ROOT)) ? token.toLowerCase(Locale.ROOT)
                        : token.toUpperCase(Locale.ROOT),
                token + "x", token.substring(1)));
        forged.addAll(aOwns.get(Kind.JOB));
        for (String guess : forged) {
            ApiClient.Response answer = api.getAbsolute(base + guess, null);
            assertThat(answer.status()).as(guess).isEqualTo(404);
            assertThat(answer.body()).as(guess).isEqualTo(forNothing.body());
        }
    }

    /** What is served but in no document: the dashboard's job list, and a run's events with the token in the query. */
    private void servedOutsideTheDocuments() throws Exception {
        for (Credential credential : List.of(Credential.API_KEY_HEADER, Credential.API_KEY_BEARER, Credential.JWT)) {
            ApiClient.Response list = api.exchange("GET", "/api/dashboard/jobs", null, null,
                    b.headers(credential, bRunToken));
            assertThat(list.status()).as(credential + ": " + list.body()).isEqualTo(200);
            for (String secret : aSecrets()) {
                assertThat(list.body()).as("B's dashboard shows nothing of A's").doesNotContain(secret);
            }
        }
        String aRun = aOwns.get(Kind.RUN).get(0);
        ApiClient.Response answer = api.get("/api/runs/" + aRun + "/events?token=" + bRunToken, null);
        ApiClient.Response forNothing = api.get("/api/runs/" + fake(aRun) + "/events?token=" + bRunToken, null);
        assertThat(answer.status()).as(answer.body()).isEqualTo(401);
        assertErrorBody("video-projects", answer, "A's run events with B's run token");
        assertThat(normalized(answer)).isEqualTo(normalized(forNothing));
        assertThat(api.get("/api/runs/" + aRun + "/events?token=" + aRunToken, null).status()).isEqualTo(200);
    }

    // ---- A's data afterwards

    private void asDataIsUnchanged() throws Exception {
        assertThat(rowsOf(a.accountId())).as("A's rows").isEqualTo(rowsBefore);
        assertThat(storedFiles()).as("the stored files").isEqualTo(filesBefore);
        for (Map.Entry<String, byte[]> link : aLinks.entrySet()) {
            ApiClient.Response download = api.getAbsolute(link.getKey(), null);
            assertThat(download.status()).as(link.getKey()).isEqualTo(200);
            assertThat(download.bytes()).as(link.getKey()).isEqualTo(link.getValue());
        }
        assertThat(api.getAbsolute(aShareLink, null).status()).isEqualTo(200);
        assertThat(api.getWithBearer("/api/runs/" + aOwns.get(Kind.RUN).get(0), aRunToken).status()).isEqualTo(200);
        // B's redeliveries queued nothing: the next delivery A's receiver gets is the one A asks for now
        ApiClient.Response redelivered = api.post("/api/jobs/" + aImageAudioJob + "/webhook-deliveries/redeliver",
                a.key());
        assertThat(redelivered.status()).as(redelivered.body()).isEqualTo(202);
        WebhookReceiver.Received next = receiver.next(60, TimeUnit.SECONDS);
        assertThat(next).as("A's redelivery").isNotNull();
        assertThat(next.header("webhook-id")).isEqualTo(redelivered.json().get("eventId").asText());
    }

    /** A's rows of every table that holds an account's work, in a stable order. */
    private Map<String, List<Map<String, Object>>> rowsOf(String accountId) {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("accounts", "SELECT * FROM accounts WHERE id = ?");
        queries.put("api_keys", "SELECT * FROM api_keys WHERE account_id = ? ORDER BY id");
        queries.put("jobs", "SELECT * FROM jobs WHERE account_id = ? ORDER BY id");
        queries.put("job_logs", "SELECT l.* FROM job_logs l JOIN jobs j ON j.id = l.job_id WHERE j.account_id = ?"
                + " ORDER BY l.id");
        queries.put("webhook_deliveries", "SELECT d.* FROM webhook_deliveries d JOIN jobs j ON j.id = d.job_id"
                + " WHERE j.account_id = ? ORDER BY d.id");
        queries.put("token_ledger", "SELECT * FROM token_ledger WHERE account_id = ? ORDER BY id");
        queries.put("videos", "SELECT * FROM videos WHERE account_id = ? ORDER BY id");
        queries.put("video_projects", "SELECT * FROM video_projects WHERE account_id = ? ORDER BY id");
        queries.put("project_clips", "SELECT c.* FROM project_clips c JOIN video_projects p ON p.id = c.project_id"
                + " WHERE p.account_id = ? ORDER BY c.id");
        queries.put("project_runs", "SELECT * FROM project_runs WHERE account_id = ? ORDER BY id");
        queries.put("run_clips", "SELECT c.* FROM run_clips c JOIN project_runs r ON r.id = c.run_id"
                + " WHERE r.account_id = ? ORDER BY c.run_id, c.position");
        queries.put("idempotency_keys", "SELECT * FROM idempotency_keys WHERE account_id = ? ORDER BY idem_key");
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        queries.forEach((table, sql) -> rows.put(table, jdbc.queryForList(sql, accountId)));
        return rows;
    }

    /** Every stored file's key and the SHA-256 of its bytes. */
    private Map<String, String> storedFiles() throws Exception {
        Map<String, String> files = new TreeMap<>();
        for (String key : StoredFiles.keys(dataDir)) {
            byte[] bytes = Files.readAllBytes(dataDir.resolve("storage").resolve(key));
            files.put(key, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
        return files;
    }

    // ---- answers

    /** The error body of the surface: {"detail"} on video-jobs, the envelope on style, {"error"} elsewhere. */
    private static void assertErrorBody(String surface, ApiClient.Response answer, String what) {
        JsonNode json = answer.json();
        switch (surface) {
            case "video-jobs" -> assertThat(json.has("detail")).as(what + ": " + answer.body()).isTrue();
            case "style" -> {
                assertThat(json.path("success").asBoolean(true)).as(what + ": " + answer.body()).isFalse();
                assertThat(json.path("error").path("code").isTextual()).as(what + ": " + answer.body()).isTrue();
                assertThat(json.path("error").path("message").isTextual()).as(what + ": " + answer.body()).isTrue();
            }
            case "jobs", "generate", "video-projects", "admin" ->
                    assertThat(json.path("error").isTextual()).as(what + ": " + answer.body()).isTrue();
            default -> fail("say what the error body of the surface '" + surface + "' is in TenantIsolationTest"
                    + ".assertErrorBody");
        }
    }

    /** Status and body with A's ids and the ids of nothing that stand for them taken out. */
    private String normalized(ApiClient.Response answer) {
        String body = answer.body();
        for (Map.Entry<String, String> id : fakes.entrySet()) {
            body = body.replace(id.getKey(), "{id}").replace(id.getValue(), "{id}");
        }
        return answer.status() + " " + body;
    }

    private boolean isAs(String id) {
        return aOwns.values().stream().anyMatch(ids -> ids.contains(id));
    }

    /** The same ids with A's replaced by ids of nothing in the same shape. */
    private Map<String, String> fakes(Map<String, String> values) {
        Map<String, String> replaced = new LinkedHashMap<>();
        values.forEach((name, value) -> replaced.put(name, isAs(value) ? fake(value) : value));
        return replaced;
    }

    /**
     * An id of nothing shaped like {@code id} (the same each time): its prefix up to an underscore kept, then each
     * letter or digit replaced by a random one of its class, so that any check of the shape takes both alike.
     */
    private String fake(String id) {
        return fakes.computeIfAbsent(id, real -> {
            // an id keeps its kind's prefix (run_, vp_ ...); a random token may hold '_' anywhere (base64url), and
            // keeping all before its last one could leave a character or none to change: then all of it is faked
            int prefix = real.lastIndexOf('_') + 1;
            if (real.length() - prefix < 16) {
                prefix = 0;
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String fake;
            do {
                StringBuilder faked = new StringBuilder(real.substring(0, prefix));
                for (char c : real.substring(prefix).toCharArray()) {
                    faked.append(Character.isDigit(c) ? (char) ('0' + random.nextInt(10))
                            : Character.isLowerCase(c) ? (char) ('a' + random.nextInt(26))
                            : Character.isUpperCase(c) ? (char) ('A' + random.nextInt(26)) : c);
                }
                fake = faked.toString();
            } while (fake.equals(real));
            return fake;
        });
    }

    private static String fill(String path, Map<String, String> values) {
        String filled = path;
        for (Map.Entry<String, String> value : values.entrySet()) {
            filled = filled.replace("{" + value.getKey() + "}", value.getValue());
        }
        return filled;
    }

    private static boolean required(JsonNode schema, String name) {
        for (JsonNode required : schema.path("required")) {
            if (required.asText().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** A value a schema takes: its example, default, first enum value or minimum, else one of its type. */
    private static JsonNode sample(JsonNode schema) {
        for (String field : List.of("example", "default")) {
            if (schema.has(field)) {
                return schema.get(field);
            }
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        return switch (schema.path("type").asText("string")) {
            case "integer", "number" -> JSON.getNodeFactory().numberNode(schema.path("minimum").asLong(1));
            case "boolean" -> JSON.getNodeFactory().booleanNode(false);
            case "object" -> JSON.createObjectNode();
            case "array" -> JSON.createArrayNode();
            default -> JSON.getNodeFactory().textNode("isolation");
        };
    }

    private static String sampleFile(String field) {
        String name = field.toLowerCase(Locale.ROOT);
        return name.contains("audio") || name.contains("music") ? "sample.wav"
                : name.contains("video") || name.equals("file") ? "sample.mp4" : "sample.png";
    }

    private static String sampleType(String field) {
        String file = sampleFile(field);
        return file.endsWith(".wav") ? "audio/wav" : file.endsWith(".mp4") ? "video/mp4" : "image/png";
    }

    private byte[] readSample(String field) {
        try {
            Path sample = media.resolve(sampleFile(field));
            if (!Files.exists(sample)) {
                switch (sampleFile(field)) {
                    case "sample.wav" -> Files.move(TestMedia.wav(Files.createTempDirectory(media, "s"), 1.0), sample);
                    case "sample.png" -> Files.move(TestMedia.png(Files.createTempDirectory(media, "s"), 64, 48),
                            sample);
                    default -> TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25", "-t", "1",
                            "-c:v", "libx264", "-pix_fmt", "yuv420p", sample.toString());
                }
            }
            return Files.readAllBytes(sample);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- making A's work

    private Tenant tenant(String name) {
        var created = newAccount(name + "-" + System.nanoTime());
        Tokens.topUp(camel, created.accountId(), 1000);
        String jwt = TestJwts.hs256(JWT_SECRET, TestJwts.claims(created.accountId(), Instant.now())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build());
        return new Tenant(created.accountId(), created.keyId(), created.apiKey(), jwt);
    }

    private String idem() {
        String key = "tenant-a-" + UUID.randomUUID();
        aIdempotencyKeys.add(key);
        return key;
    }

    private static JsonNode created(ApiClient.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response.json();
    }

    private String uploadVideo(Tenant owner, String name, String pattern) throws Exception {
        Path file = media.resolve(name);
        TestMedia.ffmpeg("-f", "lavfi", "-i", pattern, "-f", "lavfi", "-i", "sine=frequency=440", "-t", "2",
                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ac", "2", file.toString());
        return created(api.postMultipart("/api/v1/videos", owner.key(), List.of(Part.file("file", file, "video/mp4"))),
                201).get("data").get("video_id").asText();
    }

    private JsonNode awaitJson(String path, Tenant owner, Predicate<JsonNode> done) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(JOB_TIME).pollInterval(Duration.ofMillis(300)).until(() -> {
            last.set(api.get(path, owner.key()).json());
            return done.test(last.get()) || failed(last.get());
        });
        assertThat(done.test(last.get())).as(path + ": " + last.get()).isTrue();
        return last.get();
    }

    private static boolean failed(JsonNode state) {
        String status = state.path("status").asText(state.path("data").path("status").asText());
        return status.equalsIgnoreCase("FAILED");
    }

    private static String lastSegment(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String[] concat(String[] headers, String... more) {
        String[] all = Arrays.copyOf(headers, headers.length + more.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return all;
    }
}
