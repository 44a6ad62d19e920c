package dev.reelroute.prompt;

import dev.reelroute.web.ApiPrincipals;
import dev.reelroute.web.UploadChecks;
import dev.reelroute.web.Uploads;
import dev.reelroute.web.ApiException;
import dev.reelroute.web.QueryParams;
import dev.reelroute.config.Ids;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.NewJob;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.job.RunningWork;
import dev.reelroute.provider.CatalogModelAdmission;
import dev.reelroute.provider.RemoteClips;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.storage.LinkSigner;
import dev.reelroute.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.Variable;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * /api/v1/video-jobs: create (multipart, or JSON over JMS through the same rules), read, list, download,
 * cancel, delete. Field rules and error texts follow the document. A job is made by the route create-video-job: its
 * images stored here, the job row and its token charge committed in one transaction by charge-job.
 */
@Component("videoJobsApi")
public class VideoJobsApi {
    static final String NOT_FOUND = "Video job not found";
    static final int MAX_PROMPT_LENGTH = 2000;
    static final int MAX_REFERENCE_IMAGES = 3;
    static final int DEFAULT_DURATION_SECONDS = 8;
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 100;
    private static final int MAX_OFFSET = 1_000_000;
    private static final Set<String> RESOLUTIONS = Set.of("720p", "1080p");
    private static final Set<String> ASPECT_RATIOS = Set.of("16:9", "9:16");
    private static final Set<Integer> DURATIONS = Set.of(4, 8);
    private static final int MAX_MODEL_LENGTH = 100;
    private static final String STORED_INPUT_KEYS = "storedInputKeys";
    /** charge-job's chargeRefused at the account's limit of active jobs (else: insufficient-tokens). */
    private static final String REFUSED_AT_LIMIT = "active-job-limit";
    /** The job a cancel or delete found PENDING, for refund-cancelled-video-job. */
    static final String CANCELLED_PENDING_JOB = "cancelledPendingJob";
    private static final String DELETED_JOB = "deletedJob";

    private final UploadChecks checks;
    private final Storage storage;
    private final JobStore jobs;
    private final CatalogModelAdmission models;
    private final VideoJobViews views;
    private final LinkSigner links;
    private final ReelrouteProperties.VideoJobs settings;
    private final RunningWork runningWork;
    private final RemoteClips remoteClips;

    public VideoJobsApi(UploadChecks checks, Storage storage, JobStore jobs,
                        CatalogModelAdmission models, VideoJobViews views,
                        LinkSigner links, ReelrouteProperties properties, RunningWork runningWork,
                        RemoteClips remoteClips) {
        this.checks = checks;
        this.runningWork = runningWork;
        this.remoteClips = remoteClips;
        this.storage = storage;
        this.jobs = jobs;
        this.models = models;
        this.views = views;
        this.links = links;
        this.settings = properties.videoJobs();
    }

    /** A checked request, its images still in temporary files. */
    public record Submission(PromptSpec spec, UploadChecks.CheckedImage initialImage,
                             UploadChecks.CheckedImage endFrame, List<UploadChecks.CheckedImage> referenceImages) {}

    public Submission validate(Exchange exchange, @Header("prompt") String prompt, @Header("model") String model,
                               @Header("resolution") String resolution, @Header("aspectRatio") String aspectRatio,
                               @Header("durationSeconds") String durationSeconds,
                               @Header("mockMode") String mockMode,
                               @Header("generateAudio") String generateAudio) throws IOException {
        Uploads.deleteWhenDone(exchange);
        PromptSpec fields = fields(prompt, model, resolution, aspectRatio, durationSeconds, mockMode, generateAudio);
        Optional<Path> initialFile = Uploads.file(exchange, "initialImage");
        Optional<Path> endFile = Uploads.file(exchange, "endFrame");
        List<Path> referenceFiles = Uploads.files(exchange, "referenceImages", MAX_REFERENCE_IMAGES);
        requireInputs(fields, initialFile.isPresent(), endFile.isPresent(), referenceFiles.size());
        return submission(fields, initialFile.orElse(null), endFile.orElse(null), referenceFiles);
    }

    /**
     * The text fields' rules, for every surface that makes video jobs (values as text: "4", "true"). Returns the
     * spec without images.
     */
    public PromptSpec fields(String prompt, String model, String resolution, String aspectRatio,
                             String durationSeconds, String mockMode, String generateAudio) {
        String text = prompt == null || prompt.isBlank() ? null : prompt.strip();
        if (text != null && text.length() > MAX_PROMPT_LENGTH) {
            throw ApiException.badRequest("Prompt must be at most " + MAX_PROMPT_LENGTH + " characters");
        }
        if (model == null || model.isBlank()) {
            throw ApiException.badRequest("Model is required (e.g. 'veo-3.1-fast-generate-preview')");
        }
        if (model.length() > MAX_MODEL_LENGTH) {
            throw ApiException.badRequest("Model name must be at most " + MAX_MODEL_LENGTH + " characters");
        }
        String res = resolution == null ? null : resolution.strip();
        if (res == null || !RESOLUTIONS.contains(res)) {
            throw ApiException.badRequest("Resolution must be '720p' or '1080p'");
        }
        String aspect = aspectRatio == null ? null : aspectRatio.strip();
        if (aspect == null || !ASPECT_RATIOS.contains(aspect)) {
            throw ApiException.badRequest("Aspect ratio must be '16:9' or '9:16'");
        }
        int duration = parseDuration(durationSeconds);
        Boolean mock = parseBoolean(mockMode);
        if (mock == null) {
            throw ApiException.badRequest("mockMode is required: 'true' to use the local engine (test mode), "
                    + "'false' to use the model's provider");
        }
        Boolean audio = generateAudio == null || generateAudio.isBlank() ? Boolean.FALSE : parseBoolean(generateAudio);
        if (audio == null) {
            throw ApiException.badRequest("generateAudio must be 'true' or 'false'");
        }
        return new PromptSpec(text, null, model.strip(), res, aspect, duration, mock, audio, null, null, List.of());
    }

    /** Which images may come together; checked before any image is read (or fetched). */
    public void requireInputs(PromptSpec fields, boolean initialImage, boolean endFrame, int referenceImages) {
        if (referenceImages > MAX_REFERENCE_IMAGES) {
            throw ApiException.badRequest("At most " + MAX_REFERENCE_IMAGES + " referenceImages are allowed");
        }
        if (fields.prompt() == null && !initialImage) {
            throw ApiException.badRequest("Either prompt or initialImage is required");
        }
        if (endFrame && !initialImage) {
            throw ApiException.badRequest("endFrame needs an initialImage to start from");
        }
        if (referenceImages > 0 && initialImage) {
            throw ApiException.badRequest("Send either initialImage (with an optional endFrame) or referenceImages, "
                    + "not both");
        }
    }

    /** Checks each image (type sniffed, size from its header); null and empty mean none given. */
    public Submission submission(PromptSpec fields, Path initialImage, Path endFrame, List<Path> referenceImages)
            throws IOException {
        UploadChecks.CheckedImage initial = initialImage != null ? checks.image(initialImage, "initialImage") : null;
        UploadChecks.CheckedImage end = endFrame != null ? checks.image(endFrame, "endFrame") : null;
        List<UploadChecks.CheckedImage> references = new ArrayList<>();
        for (Path file : referenceImages) {
            references.add(checks.image(file, "referenceImages"));
        }
        return new Submission(fields, initial, end, references);
    }

    /**
     * The first step of create-video-job: the job's id, its model admitted, its images stored. Sets what charge-job
     * inserts and charges (the variables {@code newJob} and {@code maxActiveJobs}) and the keys of the images stored
     * so far ({@code storedInputKeys}), which {@link #refused} and {@link #failed} remove again.
     */
    public void store(Exchange exchange, @Body Submission submission,
                      @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal) throws IOException {
        String jobId = Ids.newId();
        String prefix = "jobs/" + jobId + "/";
        String initialKey = key(submission.initialImage(), prefix + "initial-image");
        String endKey = key(submission.endFrame(), prefix + "end-frame");
        List<String> referenceKeys = new ArrayList<>();
        for (int i = 0; i < submission.referenceImages().size(); i++) {
            referenceKeys.add(key(submission.referenceImages().get(i), prefix + "reference-" + (i + 1)));
        }
        PromptSpec given = submission.spec();
        PromptSpec spec = new PromptSpec(given.prompt(), null, given.model(), given.resolution(), given.aspectRatio(),
                given.durationSeconds(), given.mockMode(), given.generateAudio(), initialKey, endKey, referenceKeys);
        CatalogModelAdmission.Admitted admitted = models.admit(spec);
        List<String> stored = new ArrayList<>();
        exchange.setVariable(STORED_INPUT_KEYS, stored);
        put(submission.initialImage(), initialKey, stored);
        put(submission.endFrame(), endKey, stored);
        for (int i = 0; i < referenceKeys.size(); i++) {
            put(submission.referenceImages().get(i), referenceKeys.get(i), stored);
        }
        exchange.setVariable("newJob", new NewJob(jobId, principal.accountId(), principal.apiKeyId(),
                Job.KIND_VIDEO_JOB, null, null, null, 0, Ids.randomToken(24), spec, admitted.provider(),
                admitted.tokens()));
        exchange.setVariable("maxActiveJobs", settings.maxConcurrentPerAccount());
    }

    /**
     * create-video-job's job is in (charge-job committed): its log says what it was charged and what makes the
     * video.
     */
    public void created(@Variable("newJob") NewJob job) {
        jobs.appendLog(job.id(), "INFO", "Job created: " + job.tokensConsumed() + " tokens charged; "
                + ("local".equals(job.provider()) ? "mock mode, the local engine makes the video"
                : "the video is made by " + job.prompt().model() + " on " + job.provider()));
    }

    /**
     * charge-job refused the job (the variable {@code chargeRefused}), having written nothing: the images stored are
     * removed, and the refusal is answered in the document's bodies: 429 at the account's limit of concurrent video
     * jobs, 402 when its balance is short of the cost.
     */
    public void refused(@Variable("chargeRefused") String refusal, @Variable("newJob") NewJob job,
                        @Variable("maxActiveJobs") int limit, @Variable("availableTokens") Long available,
                        @Variable(STORED_INPUT_KEYS) List<String> stored) throws IOException {
        removeImages(stored);
        if (REFUSED_AT_LIMIT.equals(refusal)) {
            throw new ApiException(429, "Maximum " + limit + " concurrent video jobs allowed. "
                    + "Please wait for existing jobs to complete.");
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("message", "Insufficient tokens. Operation 'video_generation' costs " + job.tokensConsumed()
                + " tokens but you have " + available + ".");
        detail.put("cost", job.tokensConsumed());
        detail.put("availableTokens", available);
        throw new ApiException(402, (String) detail.get("message"), detail);
    }

    /**
     * Making the job failed (its model refused, an image not stored, the database): the images stored so far are
     * removed, and the failure goes on as it was (charge-job's transaction hands its failure back wrapped: the cause).
     */
    public void failed(Exchange exchange, @Variable(STORED_INPUT_KEYS) List<String> stored) throws Exception {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        removeImages(stored);
        throw caught instanceof RuntimeCamelException && caught.getCause() instanceof Exception cause
                ? cause : caught;
    }

    private void removeImages(List<String> stored) throws IOException {
        if (stored != null) {
            for (String key : stored) {
                storage.delete(key);
            }
        }
    }

    private static String key(UploadChecks.CheckedImage image, String keyWithoutExtension) {
        return image == null ? null : keyWithoutExtension + "." + image.kind().extension();
    }

    private void put(UploadChecks.CheckedImage image, String key, List<String> stored) throws IOException {
        if (image != null) {
            storage.put(key, image.file(), image.kind().mimeType());
            stored.add(key);
        }
    }

    public Map<String, Object> view(String jobId) {
        Job job = jobs.find(jobId).orElseThrow(() -> ApiException.notFound(NOT_FOUND));
        return views.job(job, jobs.logs(jobId));
    }

    public Map<String, Object> get(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                   @Header("jobId") String jobId) {
        Job job = ownJob(principal, jobId);
        return views.job(job, jobs.logs(job.id()));
    }

    public Map<String, Object> list(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                    @Header("status_filter") String statusFilter, @Header("limit") String limitParam,
                                    @Header("offset") String offsetParam) {
        JobStatus status = statusFilter == null || statusFilter.isBlank() ? null
                : VideoJobViews.fromDocumentStatus(statusFilter.strip().toUpperCase(Locale.ROOT))
                        .orElseThrow(() -> ApiException.badRequest(
                                "status_filter must be one of PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED"));
        int limit = QueryParams.boundedInt(limitParam, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        int offset = QueryParams.boundedInt(offsetParam, "offset", 0, 0, MAX_OFFSET);
        JobStore.OffsetPage page = jobs.listByOffset(principal.accountId(), Job.KIND_VIDEO_JOB, status, limit, offset);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", page.jobs().stream().map(job -> views.job(job, jobs.logs(job.id()))).toList());
        body.put("total", page.total());
        body.put("limit", limit);
        body.put("offset", offset);
        return body;
    }

    /** 302 to a freshly signed link of the video; 400 while it is not ready. */
    public void download(Exchange exchange, @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                         @Header("jobId") String jobId) {
        Job job = ownJob(principal, jobId);
        if (job.status() != JobStatus.COMPLETED || job.outputVideoKey() == null) {
            throw ApiException.badRequest("Video not ready yet: the job is "
                    + VideoJobViews.documentStatus(job.status()));
        }
        var response = exchange.getMessage();
        response.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
        response.setHeader("Location", links.signedUrl(job.outputVideoKey()));
        response.setBody(null);
    }

    /**
     * Cancels a PENDING or RUNNING job (409 when it has ended). A running job's processes are killed and its provider
     * prediction cancelled (by its worker too, if another instance has it); a job cancelled before it ran is left in
     * the variable {@value #CANCELLED_PENDING_JOB}, whose tokens the route refund-cancelled-video-job gives back next.
     */
    public void cancel(Exchange exchange, @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                       @Header("jobId") String jobId) {
        Job job = ownJob(principal, jobId);
        JobStatus was = jobs.cancel(job.id(), principal.accountId()).orElseThrow(() -> ApiException.conflict(
                "Job is " + jobs.find(job.id()).map(j -> VideoJobViews.documentStatus(j.status())).orElse("gone")
                        + " and can no longer be cancelled"));
        cancelled(exchange, job, was);
    }

    private void cancelled(Exchange exchange, Job job, JobStatus was) {
        if (was == JobStatus.PENDING) {
            exchange.setVariable(CANCELLED_PENDING_JOB, job);
        } else {
            jobs.appendLog(job.id(), "INFO", "Cancelled while running");
            // at once rather than at the worker's next step: its FFmpeg here, its prediction at the provider
            runningWork.stop(job.id(), RunningWork.StopReason.ENDED);
            remoteClips.cancelQuietly(job.id());
        }
    }

    /** refund-cancelled-video-job gave back the tokens of a job cancelled before it ran: its log says so. */
    public void refundedOnCancel(@Variable(CANCELLED_PENDING_JOB) Job job) {
        jobs.appendLog(job.id(), "INFO", "Cancelled before it started: " + job.tokensConsumed() + " tokens refunded");
    }

    /**
     * The first step of a delete: an active job is cancelled as by {@link #cancel} (its refund, when it never ran,
     * comes next, while its row is still there); the job goes to the variable {@value #DELETED_JOB}.
     */
    public void cancelBeforeDelete(Exchange exchange, @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                   @Header("jobId") String jobId) {
        Job job = ownJob(principal, jobId);
        jobs.cancel(job.id(), principal.accountId()).ifPresent(was -> cancelled(exchange, job, was));
        exchange.setVariable(DELETED_JOB, job);
    }

    /**
     * Deletes the record and its logs. The ledger keeps its charge and refund rows. The keys of the job's stored
     * files (inputs, video, thumbnail) go to the exchange property {@code storedKeys}, which the route deletes next.
     */
    public void delete(Exchange exchange, @Variable(DELETED_JOB) Job job,
                       @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal) {
        jobs.delete(job.id(), principal.accountId());
        List<String> keys = new ArrayList<>(job.storedInputKeys());
        if (job.outputVideoKey() != null) {
            keys.add(job.outputVideoKey());
        }
        if (job.thumbnailKey() != null) {
            keys.add(job.thumbnailKey());
        }
        exchange.setProperty("storedKeys", keys);
        var response = exchange.getMessage();
        response.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
        response.setBody(null);
    }

    private Job ownJob(ApiPrincipal principal, String jobId) {
        return jobs.findOwned(jobId, principal.accountId(), Job.KIND_VIDEO_JOB)
                .orElseThrow(() -> ApiException.notFound(NOT_FOUND));
    }

    private static int parseDuration(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_DURATION_SECONDS;
        }
        try {
            double seconds = Double.parseDouble(value.strip());
            if (seconds == Math.rint(seconds) && DURATIONS.contains((int) seconds)) {
                return (int) seconds;
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error below
        }
        throw ApiException.badRequest("Duration must be 4 or 8 seconds");
    }

    private static Boolean parseBoolean(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }
}
