package dev.reelroute.api;

import dev.reelroute.config.Ids;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.job.ActiveJobLimitException;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.NewJob;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.ImageHeaderReader;
import dev.reelroute.media.InvalidMediaException;
import dev.reelroute.media.MediaKind;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.MediaSniffer;
import dev.reelroute.media.ProbeResult;
import dev.reelroute.security.AccountStore;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.storage.Storage;
import dev.reelroute.webhook.WebhookUrlGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * POST /api/jobs: checks the upload (types sniffed from the bytes, image size read from its header before any
 * decoding, audio length probed), stores the inputs and inserts the PENDING job.
 */
@Component("jobIngest")
public class JobIngest {
    private static final Set<MediaKind> IMAGE_KINDS = EnumSet.of(MediaKind.JPEG, MediaKind.PNG, MediaKind.WEBP);
    private static final Set<MediaKind> AUDIO_KINDS = EnumSet.of(MediaKind.MP3, MediaKind.WAV, MediaKind.M4A, MediaKind.OGG);

    private final MediaSniffer sniffer;
    private final ImageHeaderReader imageHeaders;
    private final MediaProbe probe;
    private final WebhookUrlGuard webhookGuard;
    private final Storage storage;
    private final JobStore jobs;
    private final AccountStore accounts;
    private final ReelrouteProperties.Limits limits;

    public JobIngest(MediaSniffer sniffer, ImageHeaderReader imageHeaders, MediaProbe probe,
                     WebhookUrlGuard webhookGuard, Storage storage, JobStore jobs, AccountStore accounts,
                     ReelrouteProperties properties) {
        this.sniffer = sniffer;
        this.imageHeaders = imageHeaders;
        this.probe = probe;
        this.webhookGuard = webhookGuard;
        this.storage = storage;
        this.jobs = jobs;
        this.accounts = accounts;
        this.limits = properties.limits();
    }

    /** A checked upload, ready to be stored. */
    public record Submission(Path image, MediaKind imageKind, Path audio, MediaKind audioKind, long durationMs,
                             String webhookUrl) {}

    public Submission validate(Exchange exchange, @Header("webhookUrl") String webhookUrl) throws IOException {
        Uploads.deleteWhenDone(exchange);
        Path image = Uploads.file(exchange, "image")
                .orElseThrow(() -> ApiException.badRequest("Missing required file field 'image'"));
        Path audio = Uploads.file(exchange, "audio")
                .orElseThrow(() -> ApiException.badRequest("Missing required file field 'audio'"));
        String webhook = null;
        if (webhookUrl != null && !webhookUrl.isBlank()) {
            try {
                webhook = webhookGuard.check(webhookUrl).toString();
            } catch (WebhookUrlGuard.RejectedUrlException rejected) {
                throw ApiException.badRequest("Invalid webhookUrl: " + rejected.getMessage());
            }
        }

        MediaKind imageKind = sniff(image, "image", IMAGE_KINDS, "image/jpeg, image/png, image/webp");
        MediaKind audioKind = sniff(audio, "audio", AUDIO_KINDS, "mp3, wav, m4a, ogg");
        checkImageSize(image, imageKind);
        long durationMs = audioDurationMs(audio);
        return new Submission(image, imageKind, audio, audioKind, durationMs, webhook);
    }

    private MediaKind sniff(Path file, String field, Set<MediaKind> accepted, String acceptedNames) throws IOException {
        if (Files.size(file) == 0) {
            throw ApiException.badRequest("The '" + field + "' file is empty");
        }
        MediaKind kind = sniffer.sniff(file).orElse(null);
        if (kind == null || !accepted.contains(kind)) {
            throw new ApiException(415, "Unsupported " + field + " type"
                    + (kind == null ? "" : " (" + kind.mimeType() + ")") + ": accepts " + acceptedNames);
        }
        return kind;
    }

    private void checkImageSize(Path image, MediaKind kind) throws IOException {
        ImageDimensions size;
        try {
            size = imageHeaders.read(image, kind);
        } catch (InvalidMediaException corrupt) {
            throw ApiException.badRequest("The image could not be read: " + corrupt.getMessage());
        }
        if (size.width() < 16 || size.height() < 16) {
            throw ApiException.badRequest("The image is " + size.width() + "x" + size.height()
                    + " pixels; it must be at least 16x16");
        }
        if (size.width() > limits.imageMaxDimension() || size.height() > limits.imageMaxDimension()
                || (long) size.width() * size.height() > limits.imageMaxPixels()) {
            throw ApiException.badRequest("The image is " + size.width() + "x" + size.height()
                    + " pixels; the limit is " + limits.imageMaxDimension() + " pixels per side and "
                    + limits.imageMaxPixels() + " pixels in all");
        }
    }

    private long audioDurationMs(Path audio) throws IOException {
        ProbeResult result;
        try {
            result = probe.probe(audio);
        } catch (InvalidMediaException corrupt) {
            throw ApiException.badRequest("The audio could not be read: " + corrupt.getMessage());
        }
        if (!result.hasAudio()) {
            throw ApiException.badRequest("The audio file has no audio stream");
        }
        long durationMs = Math.round(result.durationSeconds() * 1000);
        if (durationMs < limits.audioMinDuration().toMillis()) {
            throw ApiException.badRequest("The audio is too short: it must last at least "
                    + limits.audioMinDuration().toMillis() + " ms");
        }
        if (durationMs > limits.audioMaxDuration().toMillis()) {
            throw ApiException.badRequest("The audio lasts " + (durationMs / 1000) + " s; the limit is "
                    + limits.audioMaxDuration().toSeconds() + " s");
        }
        return durationMs;
    }

    /** Stores the inputs and inserts the job as PENDING; on a refusal the stored inputs are removed again. */
    public String store(Submission submission, @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal)
            throws IOException {
        String jobId = Ids.newId();
        String imageKey = "jobs/" + jobId + "/input-image." + submission.imageKind().extension();
        String audioKey = "jobs/" + jobId + "/input-audio." + submission.audioKind().extension();
        int maxActive = accounts.findAccount(principal.accountId()).orElseThrow().maxActiveJobsPerKey();
        storage.put(imageKey, submission.image(), submission.imageKind().mimeType());
        storage.put(audioKey, submission.audio(), submission.audioKind().mimeType());
        try {
            Job job = jobs.insertPending(new NewJob(jobId, principal.accountId(), principal.apiKeyId(),
                    Job.KIND_IMAGE_AUDIO, submission.webhookUrl(), imageKey, audioKey, submission.durationMs(),
                    Ids.randomToken(24)), maxActive);
            return job.id();
        } catch (RuntimeException refused) {
            storage.delete(imageKey);
            storage.delete(audioKey);
            if (refused instanceof ActiveJobLimitException) {
                throw ApiException.conflict(refused.getMessage());
            }
            throw refused;
        }
    }

    /** The broker refused the hand-off: the job can't run, so it fails now rather than sit PENDING forever. */
    public void enqueueFailed(String jobId) {
        jobs.fail(jobId, "The job could not be queued; submit it again");
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
