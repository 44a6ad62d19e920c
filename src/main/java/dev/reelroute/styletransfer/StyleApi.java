package dev.reelroute.styletransfer;

import dev.reelroute.web.ApiException;
import dev.reelroute.web.ApiPrincipals;
import dev.reelroute.web.Envelopes;
import dev.reelroute.web.QueryParams;
import dev.reelroute.web.UploadChecks;
import dev.reelroute.web.Uploads;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.config.Ids;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.job.ActiveJobLimitException;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.NewJob;
import dev.reelroute.job.RunningWork;
import dev.reelroute.job.StyleSpec;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.storage.Storage;
import dev.reelroute.webhook.WebhookEvents;
import dev.reelroute.webhook.WebhookUrlGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * The style-transfer API: upload videos, create a job from a source and an optional template, read it,
 * list, fetch the result, cancel. Every answer is in the envelope ({@link Envelopes}).
 */
@Component("styleApi")
public class StyleApi {
    static final String VIDEO_NOT_FOUND = "Video not found";
    static final String JOB_NOT_FOUND = "Job not found";
    static final int MAX_CONFIG_CHARS = 4000;
    private static final int DEFAULT_PER_PAGE = 20;
    private static final int MAX_PER_PAGE = 100;
    private static final int MAX_PAGE = 100_000;

    private final UploadChecks checks;
    private final Storage storage;
    private final VideoStore videos;
    private final JobStore jobs;
    private final WebhookUrlGuard webhookGuard;
    private final StyleViews views;
    private final StyleConfigCheck configCheck;
    private final ReelrouteProperties properties;
    private final RunningWork runningWork;

    public StyleApi(UploadChecks checks, Storage storage, VideoStore videos, JobStore jobs,
                    WebhookUrlGuard webhookGuard, StyleViews views, StyleConfigCheck configCheck,
                    ReelrouteProperties properties, RunningWork runningWork) {
        this.checks = checks;
        this.runningWork = runningWork;
        this.storage = storage;
        this.videos = videos;
        this.jobs = jobs;
        this.webhookGuard = webhookGuard;
        this.views = views;
        this.configCheck = configCheck;
        this.properties = properties;
    }

    /** POST /api/v1/videos: one video in the multipart field {@code file}, checked, probed and stored. */
    public Map<String, Object> upload(Exchange exchange,
                                      @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal)
            throws IOException {
        Uploads.deleteWhenDone(exchange);
        Path file = Uploads.file(exchange, "file")
                .orElseThrow(() -> ApiException.badRequest("Missing required file field 'file' (the video)"));
        UploadedVideo stored = store(principal, checks.video(file, "video"));
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
        return Envelopes.ok(views.video(stored));
    }

    /** A checked video of the account (an upload, or a JMS submission's fetched input), stored. */
    public UploadedVideo store(ApiPrincipal principal, UploadChecks.CheckedVideo video) throws IOException {
        Path file = video.file();
        String id = Ids.newId();
        String key = "videos/" + id + "/video." + video.kind().extension();
        long size = Files.size(file);
        storage.put(key, file, video.kind().mimeType());
        var probe = video.probe();
        return videos.insert(new UploadedVideo(id, principal.accountId(), key,
                video.kind().extension(), size, Math.round(probe.durationSeconds() * 1000), probe.width(),
                probe.height(), probe.fps(), probe.videoCodec(), probe.audioCodec(), probe.hasAudio(), null));
    }

    /** The account's uploaded video, if {@code videoId} names one. */
    public Optional<UploadedVideo> ownVideo(ApiPrincipal principal, String videoId) {
        if (!Ids.isWellFormed(videoId)) {
            return Optional.empty();
        }
        return videos.findForAccount(videoId, principal.accountId());
    }

    public Map<String, Object> video(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                     @Header("videoId") String videoId) {
        return Envelopes.ok(views.video(ownVideo(principal, videoId)
                .orElseThrow(() -> ApiException.notFound(VIDEO_NOT_FOUND))));
    }

    /** POST /api/v1/jobs: checks the request and inserts the queued job; returns its id. */
    public String create(JsonNode body, @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal) {
        String videoId = text(body, "video_id", true);
        String webhookEvents = webhookEvents(body.get("webhook_events_filter"));
        String templateId = text(body, "template_video_id", false);
        ownVideo(principal, videoId).orElseThrow(() -> ApiException.notFound(
                "Video '" + videoId + "' not found: upload it first with POST /api/v1/videos"));
        if (templateId != null) {
            ownVideo(principal, templateId).orElseThrow(() -> ApiException.notFound(
                    "Template video '" + templateId + "' not found: upload it first with POST /api/v1/videos"));
        }
        Settings settings = settings(body, templateId != null);
        String jobId = Ids.newId();
        try {
            jobs.insertPendingForAccount(new NewJob(jobId, principal.accountId(), principal.apiKeyId(),
                    Job.KIND_STYLE_TRANSFER, settings.webhookUrl(), null, null, 0, Ids.randomToken(24), null, "local",
                    0, new StyleSpec(videoId, templateId, settings.configJson(), null)).withWebhookEvents(webhookEvents),
                    properties.videoJobs().maxConcurrentPerAccount());
        } catch (ActiveJobLimitException limit) {
            throw new ApiException(429, "Too many jobs in progress (limit " + limit.limit()
                    + "); wait for one to finish").withCode("TOO_MANY_JOBS");
        }
        return jobId;
    }

    /** A request's config (as JSON text, or null) and webhook URL (checked, or null). */
    public record Settings(String configJson, String webhookUrl) {}

    /**
     * The parts of a create request that need no video: {@code config} (checked against whether a template is
     * given), {@code webhook_url}, {@code webhook_events_filter}. A JMS submission checks them before fetching.
     */
    public Settings settings(JsonNode body, boolean withTemplate) {
        webhookEvents(body.get("webhook_events_filter"));
        String config = null;
        JsonNode configNode = body.get("config");
        if (configNode != null && !configNode.isNull()) {
            if (!configNode.isObject()) {
                throw ApiException.badRequest("config must be an object");
            }
            config = configNode.toString();
            if (config.length() > MAX_CONFIG_CHARS) {
                throw ApiException.badRequest("config is larger than " + MAX_CONFIG_CHARS + " characters");
            }
            configCheck.check(configNode, withTemplate);
        }
        String webhookUrl = text(body, "webhook_url", false);
        if (webhookUrl != null) {
            try {
                webhookUrl = webhookGuard.check(webhookUrl).toString();
            } catch (WebhookUrlGuard.RejectedUrlException rejected) {
                throw ApiException.badRequest("Invalid webhook_url: " + rejected.getMessage());
            }
        }
        return new Settings(config, webhookUrl);
    }

    /** The answer to a create: 202 with the JobResponse. */
    public Map<String, Object> accepted(Exchange exchange, @ExchangeProperty("jobId") String jobId) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        return Envelopes.ok(views.job(jobs.find(jobId).orElseThrow()));
    }

    public Map<String, Object> job(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                   @Header("jobId") String jobId) {
        return Envelopes.ok(views.job(ownJob(principal, jobId)));
    }

    /** GET /api/v1/jobs/{id}/result: the JobDetailResponse once the job has ended; before, not ready. */
    public Map<String, Object> result(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                      @Header("jobId") String jobId) {
        Job job = ownJob(principal, jobId);
        if (!job.status().isTerminal()) {
            throw ApiException.conflict("The result is not ready: the job is " + StyleViews.status(job.status())
                    + " (" + job.progress() + "%); try again when it has completed").withCode("RESULT_NOT_READY");
        }
        return Envelopes.ok(views.detail(job));
    }

    public Map<String, Object> list(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                    @Header("page") String pageParam, @Header("per_page") String perPageParam,
                                    @Header("status") String statusParam) {
        int page = QueryParams.boundedInt(pageParam, "page", 1, 1, MAX_PAGE);
        int perPage = QueryParams.boundedInt(perPageParam, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
        JobStatus status = statusParam == null || statusParam.isBlank() ? null
                : StyleViews.fromStatus(statusParam.strip().toLowerCase(Locale.ROOT)).orElseThrow(() ->
                        ApiException.badRequest("status must be one of queued, processing, completed, failed, "
                                + "cancelled"));
        JobStore.OffsetPage found = jobs.listByOffset(principal.accountId(), Job.KIND_STYLE_TRANSFER, status, perPage,
                (page - 1) * perPage);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("page", page);
        meta.put("per_page", perPage);
        meta.put("total", found.total());
        meta.put("total_pages", (found.total() + perPage - 1) / perPage);
        List<Map<String, Object>> items = found.jobs().stream().map(views::job).toList();
        return Envelopes.page(items, meta);
    }

    /** Cancels a queued or processing job; a finished one is a 409. */
    public Map<String, Object> cancel(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                      @Header("jobId") String jobId) {
        Job job = ownJob(principal, jobId);
        jobs.cancel(job.id(), principal.accountId()).orElseThrow(() -> ApiException.conflict(
                "The job is " + jobs.find(job.id()).map(j -> StyleViews.status(j.status())).orElse("gone")
                        + " and can no longer be cancelled").withCode("JOB_NOT_CANCELLABLE"));
        runningWork.stop(job.id(), RunningWork.StopReason.ENDED); // kills its FFmpeg now, if this instance runs it
        return Envelopes.ok(views.job(jobs.find(job.id()).orElseThrow()));
    }

    /** {@code webhook_events_filter}: an array of start, progress, completed (absent: completed only). */
    private static String webhookEvents(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("webhook_events_filter must be an array of: " + WebhookEvents.ALLOWED);
        }
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw ApiException.badRequest("webhook_events_filter must be an array of: " + WebhookEvents.ALLOWED);
            }
            names.add(item.asText());
        }
        try {
            return WebhookEvents.stored(names);
        } catch (WebhookEvents.InvalidFilterException invalid) {
            throw ApiException.badRequest("webhook_events_filter " + invalid.getMessage());
        }
    }

    private Job ownJob(ApiPrincipal principal, String jobId) {
        return jobs.findOwned(jobId, principal.accountId(), Job.KIND_STYLE_TRANSFER)
                .orElseThrow(() -> ApiException.notFound(JOB_NOT_FOUND));
    }

    private static String text(JsonNode body, String field, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.badRequest(field + " is required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw ApiException.badRequest(field + " must be a non-empty string");
        }
        if (node.asText().length() > 2048) {
            throw ApiException.badRequest(field + " is too long");
        }
        return node.asText().strip();
    }
}
