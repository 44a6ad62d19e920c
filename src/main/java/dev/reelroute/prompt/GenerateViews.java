package dev.reelroute.prompt;

import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.storage.LinkSigner;
import dev.reelroute.web.Timestamps;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The generate API's JSON shapes: a /api/generate job's status read, which is also its webhook body. */
@Component("generateViews")
public class GenerateViews {
    private final LinkSigner links;

    public GenerateViews(LinkSigner links) {
        this.links = links;
    }

    /** The generate API's StatusResponse: lowercase status, output with video, thumbnail and duration, cost in USD. */
    public Map<String, Object> status(Job job) {
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
}
