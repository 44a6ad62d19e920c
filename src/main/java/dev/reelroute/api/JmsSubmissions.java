package dev.reelroute.api;

import dev.reelroute.prompt.GenerateApi;
import dev.reelroute.prompt.VideoJobsApi;

import dev.reelroute.web.ApiPrincipals;
import dev.reelroute.web.UploadChecks;
import dev.reelroute.web.ApiErrors;
import dev.reelroute.web.ApiException;
import dev.reelroute.imageaudio.JobIngest;
import dev.reelroute.web.JsonBodies;
import dev.reelroute.styletransfer.StyleApi;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.project.ProjectsApi;
import dev.reelroute.project.VideoProject;
import dev.reelroute.security.AccountStore;
import dev.reelroute.web.ApiAuthFilter;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.styletransfer.VideoStore;
import jakarta.jms.BytesMessage;
import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.jms.JmsConstants;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The steps of jms-inbound that YAML can't say: read and authenticate a request from {@code reelroute.jobs.submit},
 * turn its inputs into local files for the kind's own checks (the same {@link JobIngest}, {@link VideoJobsApi},
 * {@link GenerateApi}, {@link ProjectsApi} and {@link StyleApi} as the REST surfaces), and shape the reply and the
 * dead-letter copy.
 *
 * <p>The API key travels in the {@value #API_KEY_PROPERTY} property. It is taken off the message before anything
 * else happens, so no log line, reply, dead-letter copy or event can carry it.
 */
@Component("jmsSubmissions")
public class JmsSubmissions {
    private static final Logger log = LoggerFactory.getLogger(JmsSubmissions.class);
    public static final String API_KEY_PROPERTY = "apiKey";
    /** Exchange properties kept from the request, since the hand-off to reelroute.jobs clears the headers. */
    static final String REQUEST_TEXT = "submitRequest";
    static final String REQUEST_PROPERTIES = "submitProperties";
    static final String REPLY_TO = "submitReplyTo";
    static final String CORRELATION_ID = "submitCorrelationId";
    static final String MESSAGE_ID = "submitMessageId";
    static final String KIND = "submitKind";
    static final String REFUSAL = "submitRefusal";
    private static final String SCRATCH_DIR = "submitScratchDir";
    private static final String PROJECT_REPLY = "submitProjectReply";
    static final String MISSING_KEY = "Missing apiKey property: send the account's API key in the JMS property 'apiKey'";
    /** A video project made, filled with its clips and its run started, by one request. */
    static final String KIND_VIDEO_PROJECT = "video-project";
    static final List<String> KINDS = List.of(Job.KIND_IMAGE_AUDIO, Job.KIND_VIDEO_JOB, Job.KIND_GENERATE,
            KIND_VIDEO_PROJECT, Job.KIND_STYLE_TRANSFER);
    /** videos/{videoId}/video.{ext}: the key a style-transfer input (an uploaded video) is stored under. */
    private static final Pattern VIDEO_KEY = Pattern.compile("videos/([a-z0-9]{1,32})/video\\.[a-z0-9]{1,8}");
    /** Application properties copied onto the dead-letter copy: at most this many, names like Java identifiers. */
    private static final int MAX_COPIED_PROPERTIES = 50;
    private static final String OWN_DESTINATION_PREFIX = "reelroute.";

    /** Why a request was refused: the reply's {@code error} and the dead-letter copy's properties. */
    public record Refusal(String code, String message, Object details) {}

    private final AccountStore accounts;
    private final JsonBodies jsonBodies;
    private final InputReferences inputs;
    private final JobIngest jobIngest;
    private final VideoJobsApi videoJobs;
    private final ProjectsApi projectsApi;
    private final StyleApi styleApi;
    private final UploadChecks checks;
    private final VideoStore videos;
    private final JobStore jobs;
    private final ObjectMapper json;

    public JmsSubmissions(AccountStore accounts, JsonBodies jsonBodies, InputReferences inputs, JobIngest jobIngest,
                          VideoJobsApi videoJobs, ProjectsApi projectsApi, StyleApi styleApi, UploadChecks checks,
                          VideoStore videos, JobStore jobs, ObjectMapper json) {
        this.accounts = accounts;
        this.jsonBodies = jsonBodies;
        this.inputs = inputs;
        this.jobIngest = jobIngest;
        this.videoJobs = videoJobs;
        this.projectsApi = projectsApi;
        this.styleApi = styleApi;
        this.checks = checks;
        this.videos = videos;
        this.jobs = jobs;
        this.json = json;
    }

    /**
     * First step: takes the key off the message, keeps what the reply and a dead-letter copy need, authenticates
     * like the REST filter (hashed lookup, active key), then parses the body as a JSON object with a known
     * {@code kind}. Returns the request.
     */
    public JsonNode receive(Exchange exchange) throws JMSException {
        Message in = exchange.getIn();
        Object rawKey = in.removeHeader(API_KEY_PROPERTY);
        String messageId = in.getHeader(JmsConstants.JMS_HEADER_MESSAGE_ID, String.class);
        Destination replyTo = in.getHeader(JmsConstants.JMS_HEADER_REPLY_TO, Destination.class);
        if (isOwnDestination(replyTo)) {
            log.warn("JMS submission {} asked for its answer on {}; the service's own destinations get none",
                    messageId, replyTo);
        } else {
            exchange.setProperty(REPLY_TO, replyTo);
        }
        String correlationId = in.getHeader(JmsConstants.JMS_HEADER_CORRELATION_ID, String.class);
        exchange.setProperty(MESSAGE_ID, messageId);
        exchange.setProperty(CORRELATION_ID, correlationId == null || correlationId.isEmpty() ? messageId
                : correlationId);
        exchange.setProperty(REQUEST_PROPERTIES, applicationProperties(in.getHeaders()));
        String text = requestText(in.getBody());
        exchange.setProperty(REQUEST_TEXT, text);

        if (!(rawKey instanceof String key) || key.isBlank()) {
            throw new ApiException(401, MISSING_KEY);
        }
        ApiPrincipal principal = accounts.principalForKey(key)
                .orElseThrow(() -> new ApiException(401, ApiAuthFilter.KEY_NOT_RECOGNIZED));
        exchange.setProperty(ApiPrincipals.PROPERTY, principal);
        if (text == null) {
            throw ApiException.badRequest("The request must be a TextMessage (or a BytesMessage) of UTF-8 JSON");
        }
        JsonNode request = jsonBodies.requiredObject(text);
        String kind = request.path("kind").asText("");
        if (!KINDS.contains(kind)) {
            throw ApiException.badRequest("kind must be one of " + String.join(", ", KINDS));
        }
        exchange.setProperty(KIND, kind);
        return request;
    }

    /** An image + audio job: the webhook URL and the inputs' presence first, then the inputs fetched and checked. */
    public JobIngest.Submission imageAudio(JsonNode request, Exchange exchange) throws IOException {
        String webhookUrl = scalar(request, "webhookUrl");
        jobIngest.checkedWebhookUrl(webhookUrl);
        // as on POST /api/jobs: comma-separated start, progress, completed
        String webhookEvents = jobIngest.checkedWebhookEvents(scalar(request, "webhookEventsFilter"));
        jobIngest.requireInputs(given(request, "image"), given(request, "audio"));
        ApiPrincipal principal = principal(exchange);
        Path dir = scratchDir(exchange);
        Path image = inputs.resolve(request.get("image"), "image", principal, dir);
        Path audio = inputs.resolve(request.get("audio"), "audio", principal, dir);
        return jobIngest.submission(image, audio, webhookUrl).withWebhookEvents(webhookEvents);
    }

    /** A video job: the fields and which images come together first, then the images fetched and checked. */
    public VideoJobsApi.Submission videoJob(JsonNode request, Exchange exchange) throws IOException {
        PromptSpec fields = videoJobs.fields(scalar(request, "prompt"), scalar(request, "model"),
                scalar(request, "resolution"), scalar(request, "aspectRatio"), scalar(request, "durationSeconds"),
                scalar(request, "mockMode"), scalar(request, "generateAudio"));
        JsonNode references = request.path("referenceImages");
        if (!references.isMissingNode() && !references.isNull() && !references.isArray()) {
            throw ApiException.badRequest("referenceImages must be an array of image URLs or stored input keys");
        }
        videoJobs.requireInputs(fields, given(request, "initialImage"), given(request, "endFrame"),
                references.size());
        ApiPrincipal principal = principal(exchange);
        Path dir = scratchDir(exchange);
        Path initial = given(request, "initialImage")
                ? inputs.resolve(request.get("initialImage"), "initialImage", principal, dir) : null;
        Path end = given(request, "endFrame") ? inputs.resolve(request.get("endFrame"), "endFrame", principal, dir)
                : null;
        List<Path> referenceFiles = new ArrayList<>();
        for (JsonNode reference : references) {
            referenceFiles.add(inputs.resolve(reference, "referenceImages", principal, dir));
        }
        return videoJobs.submission(fields, initial, end, referenceFiles);
    }

    /**
     * A video project in one request: the project's fields and every clip's first, then the music and the clips'
     * images fetched, then checked, and only then the project made, its clips added in order and its run started
     * (as {@code POST /api/video-projects/generate}). Returns the run id, to hand to reelroute.jobs; the
     * reply is made by {@link #projectAccepted}.
     */
    public String videoProject(JsonNode request, Exchange exchange) throws IOException {
        ProjectsApi.ProjectSettings settings = projectsApi.settings(scalar(request, "name"),
                scalar(request, "transitionsEnabled"), scalar(request, "resolution"), scalar(request, "aspectRatio"),
                scalar(request, "musicVolume"), scalar(request, "ambientAudioEnabled"));
        JsonNode clips = request.path("clips");
        if (!clips.isArray() || clips.isEmpty()) {
            throw ApiException.badRequest("clips must be an array of at least one clip: {\"image\", optional "
                    + "\"motionPrompt\" and \"durationSeconds\"}");
        }
        if (clips.size() > projectsApi.maxClips()) {
            throw ApiException.badRequest("A project has at most " + projectsApi.maxClips() + " clips");
        }
        List<ProjectsApi.ClipSettings> clipSettings = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            JsonNode clip = clips.get(i);
            if (!clip.isObject()) {
                throw ApiException.badRequest("clips[" + i + "] must be an object");
            }
            if (!given(clip, "image")) {
                throw ApiException.badRequest("clips[" + i + "].image is required");
            }
            clipSettings.add(projectsApi.clipSettings(scalar(clip, "motionPrompt"), scalar(clip, "durationSeconds")));
        }
        ApiPrincipal principal = principal(exchange);
        Path dir = scratchDir(exchange);
        Path music = given(request, "music") ? inputs.resolve(request.get("music"), "music", principal, dir) : null;
        List<Path> clipImages = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            clipImages.add(inputs.resolve(clips.get(i).get("image"), "clips[" + i + "].image", principal, dir));
        }
        // every input is fetched (or refused as unknown) before any is checked: the music's check runs ffprobe
        if (music != null) {
            checks.audio(music, "music");
        }
        List<UploadChecks.CheckedImage> images = new ArrayList<>();
        for (int i = 0; i < clipImages.size(); i++) {
            images.add(checks.image(clipImages.get(i), "clips[" + i + "].image"));
        }
        VideoProject project = projectsApi.create(principal, settings, music);
        List<String> clipKeys = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            clipKeys.add(projectsApi.addClip(project, clipSettings.get(i), images.get(i)).imageKey());
        }
        ProjectsApi.Triggered run = projectsApi.generate(principal,
                json.createObjectNode().put("videoProjectId", project.id()));
        Map<String, Object> stored = new LinkedHashMap<>();
        if (project.musicKey() != null) {
            stored.put("music", project.musicKey());
        }
        stored.put("clips", clipKeys);
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("videoProjectId", project.id());
        reply.put("runId", run.runId());
        reply.put("publicAccessToken", run.answer().get("publicAccessToken"));
        reply.put("status", "PENDING");
        reply.put("inputs", stored);
        exchange.setProperty(PROJECT_REPLY, reply);
        return run.runId();
    }

    /** The reply to an accepted video project: its id, its run's id and public access token, the stored inputs. */
    public String projectAccepted(Exchange exchange) throws JsonProcessingException {
        return json.writeValueAsString(exchange.getProperty(PROJECT_REPLY, Map.class));
    }

    /**
     * A style-transfer job: config, webhook_url and webhook_events_filter checked first, then the source and the
     * template (each a URL, a stored input key, or the key of one of the account's uploaded videos) fetched and
     * checked, and only then stored as the account's videos. Returns the request as {@code POST /api/v1/jobs} takes it.
     */
    public JsonNode styleTransfer(JsonNode request, Exchange exchange) throws IOException {
        boolean withTemplate = given(request, "template");
        styleApi.settings(request, withTemplate);
        if (!given(request, "source")) {
            throw ApiException.badRequest("source is required: the video to restyle, as an https URL or a storage key");
        }
        ApiPrincipal principal = principal(exchange);
        StyleInput source = styleInput(request.get("source"), "source", principal, exchange);
        StyleInput template = withTemplate ? styleInput(request.get("template"), "template", principal, exchange)
                : null;
        ObjectNode body = json.createObjectNode();
        body.put("video_id", storedId(source, principal));
        if (template != null) {
            body.put("template_video_id", storedId(template, principal));
        }
        for (String field : List.of("config", "webhook_url", "webhook_events_filter")) {
            if (request.has(field)) {
                body.set(field, request.get(field));
            }
        }
        return body;
    }

    /** A style-transfer input: one of the account's uploaded videos (its id), or a fetched or copied one, checked. */
    private record StyleInput(String videoId, UploadChecks.CheckedVideo checked) {}

    /** The input's video id, storing a fetched one as the account's upload first. */
    private String storedId(StyleInput input, ApiPrincipal principal) throws IOException {
        return input.videoId() != null ? input.videoId() : styleApi.store(principal, input.checked()).id();
    }

    /** An uploaded video of the account named by its key, or a URL or stored input, fetched and checked. */
    private StyleInput styleInput(JsonNode reference, String field, ApiPrincipal principal, Exchange exchange)
            throws IOException {
        Matcher video = reference.isTextual() ? VIDEO_KEY.matcher(reference.asText().strip()) : null;
        if (video != null && video.matches()) {
            String key = reference.asText().strip();
            String id = styleApi.ownVideo(principal, video.group(1)).filter(found -> found.storageKey().equals(key))
                    .orElseThrow(() -> ApiException.badRequest(field + " is neither an https URL nor the key of "
                            + "one of your stored inputs"))
                    .id();
            return new StyleInput(id, null);
        }
        Path file = inputs.resolve(reference, field, principal, scratchDir(exchange));
        return new StyleInput(null, checks.video(file, field));
    }

    /** The reply to an accepted request; {@code inputs} are the stored keys a later request may name again. */
    public String accepted(String jobId) throws JsonProcessingException {
        Job job = jobs.find(jobId).orElseThrow();
        Map<String, Object> stored = new LinkedHashMap<>();
        if (job.inputImageKey() != null) {
            stored.put("image", job.inputImageKey());
            stored.put("audio", job.inputAudioKey());
        }
        if (job.prompt() != null) {
            PromptSpec spec = job.prompt();
            if (spec.initialImageKey() != null) {
                stored.put("initialImage", spec.initialImageKey());
            }
            if (spec.endFrameKey() != null) {
                stored.put("endFrame", spec.endFrameKey());
            }
            if (!spec.referenceImageKeys().isEmpty()) {
                stored.put("referenceImages", spec.referenceImageKeys());
            }
        }
        if (job.style() != null) {
            videos.find(job.style().sourceVideoId()).ifPresent(video -> stored.put("source", video.storageKey()));
            if (job.style().templateVideoId() != null) {
                videos.find(job.style().templateVideoId())
                        .ifPresent(video -> stored.put("template", video.storageKey()));
            }
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("jobId", job.id());
        reply.put("status", "PENDING");
        reply.put("inputs", stored);
        return json.writeValueAsString(reply);
    }

    /**
     * Error handler, first step: what went wrong, as a code and a message. A failure of ours is logged here with
     * its cause and answered without details.
     */
    public void refuse(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Refusal refusal;
        ApiException error = ApiErrors.clientFacing(cause);
        if (error != null) {
            refusal = new Refusal(codeOf(error), error.getMessage(),
                    error.detail() instanceof List<?> details ? details : null);
        } else {
            log.error("JMS submission {} failed", exchange.getProperty(MESSAGE_ID), cause);
            refusal = new Refusal("INTERNAL_ERROR", ApiErrors.SERVER_ERROR, null);
        }
        exchange.setProperty(REFUSAL, refusal);
        log.info("JMS submission {} refused: {} {}", exchange.getProperty(MESSAGE_ID), refusal.code(),
                refusal.message());
    }

    /** The codes a producer branches on; a status that names no code of its own maps as in the envelope. */
    static String codeOf(ApiException error) {
        return switch (error.getStatus()) {
            case 402 -> "PAYMENT_REQUIRED";
            case 409, 429 -> IdempotencyKeys.IN_PROGRESS.equals(error.code()) ? error.code() : "TOO_MANY_JOBS";
            default -> error.code();
        };
    }

    /** The dead-letter copy: the request's text and properties (never the key), the code and the reason. */
    public void deadLetter(Exchange exchange) {
        Refusal refusal = exchange.getProperty(REFUSAL, Refusal.class);
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        Map<?, ?> properties = exchange.getProperty(REQUEST_PROPERTIES, Map.class);
        if (properties != null) {
            properties.forEach((name, value) -> message.setHeader((String) name, value));
        }
        message.setHeader("errorCode", refusal.code());
        message.setHeader("reason", refusal.message());
        message.setHeader("originalMessageId", exchange.getProperty(MESSAGE_ID));
        message.setHeader(JmsConstants.JMS_HEADER_CORRELATION_ID, exchange.getProperty(CORRELATION_ID));
        message.setBody(exchange.getProperty(REQUEST_TEXT, String.class));
    }

    /** The error reply: {@code {"error": {"code", "message"}}}, with a field error's {@code details}. */
    public String errorReply(Exchange exchange) throws JsonProcessingException {
        Refusal refusal = exchange.getProperty(REFUSAL, Refusal.class);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", refusal.code());
        error.put("message", refusal.message());
        if (refusal.details() != null) {
            error.put("details", refusal.details());
        }
        return json.writeValueAsString(Map.of("error", error));
    }

    /** Addresses the reply (the body) to the request's JMSReplyTo with its correlation id; no request header goes back. */
    public void addressReply(Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(JmsConstants.JMS_DESTINATION, exchange.getProperty(REPLY_TO, Destination.class));
        message.setHeader(JmsConstants.JMS_HEADER_CORRELATION_ID, exchange.getProperty(CORRELATION_ID));
    }

    /** A reply that could not be sent (the producer's temporary queue is gone): the job stands, the events tell. */
    public void replyFailed(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        log.warn("Could not reply to JMS submission {}: {}", exchange.getProperty(MESSAGE_ID),
                cause == null ? "unknown error" : cause.toString());
    }

    /**
     * A reply sent to one of the service's own queues or topics (reelroute.jobs, the events topic, …) would be
     * taken for a job, an event or a request: such a JMSReplyTo gets no answer.
     */
    static boolean isOwnDestination(Destination destination) throws JMSException {
        String name = destination instanceof Queue queue ? queue.getQueueName()
                : destination instanceof Topic topic ? topic.getTopicName() : null;
        return name != null && name.startsWith(OWN_DESTINATION_PREFIX);
    }

    private static ApiPrincipal principal(Exchange exchange) {
        return exchange.getProperty(ApiPrincipals.PROPERTY, ApiPrincipal.class);
    }

    private static boolean given(JsonNode request, String field) {
        JsonNode value = request.get(field);
        return value != null && !value.isNull();
    }

    /** A field the REST surfaces read as text: a JSON string, number or boolean, as text; null when absent. */
    private static String scalar(JsonNode request, String field) {
        JsonNode value = request.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw ApiException.badRequest(field + " must be a string, a number or a boolean");
        }
        return value.asText();
    }

    /** The body as text: a TextMessage's, or a BytesMessage's as UTF-8; null for any other kind of message. */
    private static String requestText(Object body) throws JMSException {
        if (body instanceof TextMessage text) {
            return text.getText();
        }
        if (body instanceof BytesMessage bytes) {
            long length = bytes.getBodyLength();
            if (length > JsonBodies.MAX_BODY_CHARS) {
                throw new ApiException(413, "The JSON body is larger than " + JsonBodies.MAX_BODY_CHARS + " bytes");
            }
            byte[] content = new byte[(int) length];
            bytes.readBytes(content);
            return new String(content, StandardCharsets.UTF_8);
        }
        return null;
    }

    /** The producer's own properties (not JMS*, not Camel's), to travel with a dead-letter copy. */
    private static Map<String, Object> applicationProperties(Map<String, Object> headers) {
        Map<String, Object> kept = new LinkedHashMap<>();
        for (Map.Entry<String, Object> header : headers.entrySet()) {
            String name = header.getKey();
            Object value = header.getValue();
            String lower = name.toLowerCase(Locale.ROOT);
            boolean plain = value instanceof String || value instanceof Number || value instanceof Boolean;
            if (plain && !lower.startsWith("jms") && !lower.startsWith("camel")
                    && !lower.equals(API_KEY_PROPERTY.toLowerCase(Locale.ROOT))
                    && name.matches("[A-Za-z_][A-Za-z0-9_]{0,99}") && kept.size() < MAX_COPIED_PROPERTIES) {
                kept.put(name, value);
            }
        }
        return kept;
    }

    /** A directory for this request's fetched inputs, removed with whatever is left in it when the exchange ends. */
    private static Path scratchDir(Exchange exchange) throws IOException {
        Path existing = exchange.getProperty(SCRATCH_DIR, Path.class);
        if (existing != null) {
            return existing;
        }
        Path dir = Files.createTempDirectory("reelroute-jms-inputs-");
        exchange.setProperty(SCRATCH_DIR, dir);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                deleteTree(dir);
            }
        });
        return dir;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException leftBehind) {
            log.warn("Could not remove the scratch directory {}: {}", dir, leftBehind.toString());
        }
    }
}
