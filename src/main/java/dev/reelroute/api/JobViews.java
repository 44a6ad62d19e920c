package dev.reelroute.api;

import dev.reelroute.web.Envelopes;
import dev.reelroute.styletransfer.StyleViews;
import dev.reelroute.job.Job;
import dev.reelroute.web.Timestamps;
import dev.reelroute.webhook.WebhookPayloads;
import dev.reelroute.job.JobStatus;
import dev.reelroute.storage.LinkSigner;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The jobs API's JSON shapes (field names and order of the document). Links are minted fresh on every read. */
@Component("jobViews")
public class JobViews implements WebhookPayloads {
    private final LinkSigner links;
    private final StyleViews styleViews;

    public JobViews(LinkSigner links, StyleViews styleViews) {
        this.links = links;
        this.styleViews = styleViews;
    }

    /**
     * GET /api/status/{jobId}; also the webhook body. A job made by /api/generate has the generate API's shape, a style
     * transfer the style API's envelope.
     */
    public Map<String, Object> status(Job job) {
        if (Job.KIND_GENERATE.equals(job.kind())) {
            return generateStatus(job);
        }
        if (Job.KIND_STYLE_TRANSFER.equals(job.kind())) {
            // the style API: the envelope with the JobDetailResponse as data
            return Envelopes.ok(styleViews.detail(job));
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("jobId", job.id());
        view.put("status", job.status().name());
        view.put("progress", job.progress());
        view.put("outputVideo", outputVideo(job));
        view.put("outputShareLink", shareLink(job));
        view.put("errorMessage", job.errorMessage());
        view.put("createdAt", Timestamps.iso(job.createdAt()));
        view.put("updatedAt", Timestamps.iso(job.updatedAt()));
        return view;
    }

    /** A webhook's body is the job's status read. */
    @Override
    public Object payloadOf(Job job) {
        return status(job);
    }

    /** The generate API's StatusResponse: lowercase status, output with video, thumbnail and duration, cost in USD. */
    private Map<String, Object> generateStatus(Job job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("job_id", job.id());
        view.put("status", switch (job.status()) {
            case PENDING -> "queued";
            case PROCESSING -> "processing";
            default -> job.status().name().toLowerCase(Locale.ROOT);
        });
        view.put("progress", job.progress());
        if (job.status() == JobStatus.COMPLETED && job.outputVideoKey() != null) {
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("video_url", links.signedUrl(job.outputVideoKey()));
            output.put("thumbnail_url", job.thumbnailKey() == null ? null : links.signedUrl(job.thumbnailKey()));
            output.put("duration_seconds", job.outputDurationMs() == null ? null : job.outputDurationMs() / 1000.0);
            view.put("output", output);
        }
        if (job.status() == JobStatus.FAILED) {
            view.put("error", job.errorMessage());
        }
        view.put("cost", job.costUsd() == null ? null : job.costUsd().doubleValue());
        view.put("created_at", Timestamps.iso(job.createdAt()));
        view.put("completed_at", Timestamps.iso(job.completedAt()));
        return view;
    }

    /** One entry of GET /api/jobs. */
    public Map<String, Object> listItem(Job job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", job.id());
        view.put("status", job.status().name());
        view.put("outputVideo", outputVideo(job));
        view.put("outputShareLink", shareLink(job));
        view.put("errorMessage", job.errorMessage());
        view.put("retries", job.retries());
        view.put("createdAt", Timestamps.iso(job.createdAt()));
        view.put("updatedAt", Timestamps.iso(job.updatedAt()));
        view.put("webhookUrl", job.webhookUrl());
        return view;
    }

    private String outputVideo(Job job) {
        return job.status() == JobStatus.COMPLETED && job.outputVideoKey() != null
                ? links.signedUrl(job.outputVideoKey())
                : null;
    }

    private String shareLink(Job job) {
        return job.status() == JobStatus.COMPLETED ? links.baseUrl() + "/share/" + job.shareToken() : null;
    }
}
