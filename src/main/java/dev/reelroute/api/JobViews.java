package dev.reelroute.api;

import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.storage.LinkSigner;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The jobs API's JSON shapes (field names and order of the document). Links are minted fresh on every read. */
@Component("jobViews")
public class JobViews {
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final LinkSigner links;

    public JobViews(LinkSigner links) {
        this.links = links;
    }

    /** GET /api/status/{jobId}; also the webhook body. */
    public Map<String, Object> status(Job job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("jobId", job.id());
        view.put("status", job.status().name());
        view.put("progress", job.progress());
        view.put("outputVideo", outputVideo(job));
        view.put("outputShareLink", shareLink(job));
        view.put("errorMessage", job.errorMessage());
        view.put("createdAt", timestamp(job.createdAt()));
        view.put("updatedAt", timestamp(job.updatedAt()));
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
        view.put("createdAt", timestamp(job.createdAt()));
        view.put("updatedAt", timestamp(job.updatedAt()));
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

    public static String timestamp(Instant instant) {
        return instant == null ? null : ISO_MILLIS.format(instant);
    }
}
