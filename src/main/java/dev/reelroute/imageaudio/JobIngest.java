package dev.reelroute.imageaudio;

import dev.reelroute.web.ApiPrincipals;
import dev.reelroute.web.UploadChecks;
import dev.reelroute.web.Uploads;
import dev.reelroute.web.ApiException;
import dev.reelroute.config.Ids;
import dev.reelroute.job.ActiveJobLimitException;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.NewJob;
import dev.reelroute.media.MediaKind;
import dev.reelroute.security.AccountStore;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.storage.Storage;
import dev.reelroute.webhook.WebhookEvents;
import dev.reelroute.webhook.WebhookUrlGuard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Image + audio jobs, from POST /api/jobs and from JMS: checks the files (types sniffed from the bytes, image size
 * read from its header before any decoding, audio length probed), stores the inputs and inserts the PENDING job.
 */
@Component("jobIngest")
public class JobIngest {
    private static final Logger log = LoggerFactory.getLogger(JobIngest.class);

    private final UploadChecks checks;
    private final WebhookUrlGuard webhookGuard;
    private final Storage storage;
    private final JobStore jobs;
    private final AccountStore accounts;

    public JobIngest(UploadChecks checks, WebhookUrlGuard webhookGuard, Storage storage, JobStore jobs,
                     AccountStore accounts) {
        this.checks = checks;
        this.webhookGuard = webhookGuard;
        this.storage = storage;
        this.jobs = jobs;
        this.accounts = accounts;
    }

    /** A checked upload, ready to be stored. */
    public record Submission(Path image, MediaKind imageKind, Path audio, MediaKind audioKind, long durationMs,
                             String webhookUrl, String webhookEvents) {
        public Submission withWebhookEvents(String filter) {
            return new Submission(image, imageKind, audio, audioKind, durationMs, webhookUrl, filter);
        }
    }

    public Submission validate(Exchange exchange, @Header("webhookUrl") String webhookUrl,
                               @Header("webhookEventsFilter") String webhookEventsFilter) throws IOException {
        Uploads.deleteWhenDone(exchange);
        String webhookEvents = checkedWebhookEvents(webhookEventsFilter);
        Optional<Path> image = Uploads.file(exchange, "image");
        Optional<Path> audio = Uploads.file(exchange, "audio");
        requireInputs(image.isPresent(), audio.isPresent());
        return submission(image.get(), audio.get(), webhookUrl).withWebhookEvents(webhookEvents);
    }

    /** {@code webhookEventsFilter}: comma-separated start, progress, completed; absent means completed only. */
    public String checkedWebhookEvents(String webhookEventsFilter) {
        try {
            return WebhookEvents.parseCommaSeparated(webhookEventsFilter);
        } catch (WebhookEvents.InvalidFilterException invalid) {
            throw ApiException.badRequest("Invalid webhookEventsFilter: it " + invalid.getMessage());
        }
    }

    /** Both files are required, whichever surface brings them. */
    public void requireInputs(boolean image, boolean audio) {
        if (!image) {
            throw ApiException.badRequest("Missing required file field 'image'");
        }
        if (!audio) {
            throw ApiException.badRequest("Missing required file field 'audio'");
        }
    }

    /** The webhook URL checked (null when none is given); a surface can call this before fetching any input. */
    public String checkedWebhookUrl(String webhookUrl) {
        if (webhookUrl == null || webhookUrl.isBlank()) {
            return null;
        }
        try {
            return webhookGuard.check(webhookUrl).toString();
        } catch (WebhookUrlGuard.RejectedUrlException rejected) {
            throw ApiException.badRequest("Invalid webhookUrl: " + rejected.getMessage());
        }
    }

    /** The checks of one job's files (types sniffed, image size from its header, audio length probed). */
    public Submission submission(Path image, Path audio, String webhookUrl) throws IOException {
        String webhook = checkedWebhookUrl(webhookUrl);
        UploadChecks.CheckedImage checkedImage = checks.image(image, "image");
        UploadChecks.CheckedAudio checkedAudio = checks.audio(audio, "audio");
        return new Submission(image, checkedImage.kind(), audio, checkedAudio.kind(), checkedAudio.durationMs(),
                webhook, null);
    }

    /** Stores the inputs and inserts the job as PENDING; when either fails, the stored inputs are removed again. */
    public String store(Submission submission, @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal)
            throws IOException {
        String jobId = Ids.newId();
        String imageKey = "jobs/" + jobId + "/input-image." + submission.imageKind().extension();
        String audioKey = "jobs/" + jobId + "/input-audio." + submission.audioKind().extension();
        int maxActive = accounts.findAccount(principal.accountId()).orElseThrow().maxActiveJobsPerKey();
        try {
            storage.put(imageKey, submission.image(), submission.imageKind().mimeType());
            storage.put(audioKey, submission.audio(), submission.audioKind().mimeType());
            Job job = jobs.insertPending(new NewJob(jobId, principal.accountId(), principal.apiKeyId(),
                    Job.KIND_IMAGE_AUDIO, submission.webhookUrl(), imageKey, audioKey, submission.durationMs(),
                    Ids.randomToken(24)).withWebhookEvents(submission.webhookEvents()), maxActive);
            return job.id();
        } catch (IOException | RuntimeException refused) {
            // the disk filled up during the second file, or the job was refused: no input stays behind
            storage.delete(imageKey);
            storage.delete(audioKey);
            if (refused instanceof ActiveJobLimitException) {
                throw ApiException.conflict(refused.getMessage());
            }
            throw refused;
        }
    }

    /**
     * The broker refused the hand-off (refund-job gave any tokens it was charged back first; the ledger keeps both
     * rows): the caller gets a 503 and no job id, so no job is left behind either: its row and the inputs stored for
     * it go.
     */
    public void discardUnqueued(String jobId) {
        jobs.find(jobId).ifPresent(job -> {
            jobs.delete(jobId, job.accountId());
            storage.deleteEach(job.storedInputKeys(), (key, leftBehind) -> log.warn(
                    "Job {} was not queued and is gone, but its input {} stays: {}", jobId, key, leftBehind.toString()));
        });
    }

    public void queueUnavailable() {
        throw new ApiException(503, "The job queue is unavailable; retry with exponential backoff");
    }

    public Map<String, Object> created(String jobId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "Job created");
        body.put("jobId", jobId);
        return body;
    }
}
