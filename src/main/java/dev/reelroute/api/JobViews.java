package dev.reelroute.api;

import dev.reelroute.web.Envelopes;
import dev.reelroute.prompt.GenerateViews;
import dev.reelroute.styletransfer.StyleViews;
import dev.reelroute.job.Job;
import dev.reelroute.web.Timestamps;
import dev.reelroute.webhook.WebhookPayloads;
import dev.reelroute.job.JobStatus;
import dev.reelroute.storage.LinkSigner;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The jobs API's JSON shapes (field names and order of the document). Links are minted fresh on every read. */
@Component("jobViews")
public class JobViews implements WebhookPayloads {
    private final LinkSigner links;
    private final StyleViews styleViews;
    private final GenerateViews generateViews;

    public JobViews(LinkSigner links, StyleViews styleViews, GenerateViews generateViews) {
        this.links = links;
        this.styleViews = styleViews;
        this.generateViews = generateViews;
    }

    /**
     * GET /api/status/{jobId}; also the webhook body. A job made by /api/generate has the generate API's shape, a style
     * transfer the style API's envelope.
     */
    public Map<String, Object> status(Job job) {
        if (Job.KIND_GENERATE.equals(job.kind())) {
            return generateViews.status(job);
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
