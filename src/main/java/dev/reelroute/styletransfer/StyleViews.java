package dev.reelroute.styletransfer;

import dev.reelroute.web.Timestamps;
import dev.reelroute.api.JobViews;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.storage.LinkSigner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The style API's shapes: the uploaded video, JobResponse and JobDetailResponse (snake_case, lowercase statuses). */
@Component
public class StyleViews {
    /** The pipeline stages of the document, in order. */
    public static final List<String> STAGES = List.of("video_analysis", "audio_analysis", "motion_analysis",
            "style_extraction", "style_application", "rendering");

    private final LinkSigner links;
    private final ObjectMapper json;

    public StyleViews(LinkSigner links, ObjectMapper json) {
        this.links = links;
        this.json = json;
    }

    public Map<String, Object> video(UploadedVideo video) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("video_id", video.id());
        view.put("container", video.container());
        view.put("size_bytes", video.sizeBytes());
        view.put("duration_seconds", video.durationMs() / 1000.0);
        view.put("width", video.width());
        view.put("height", video.height());
        view.put("fps", video.fps());
        view.put("video_codec", video.videoCodec());
        view.put("audio_codec", video.audioCodec());
        view.put("has_audio", video.hasAudio());
        view.put("created_at", Timestamps.iso(video.createdAt()));
        return view;
    }

    /** JobResponse. */
    public Map<String, Object> job(Job job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("job_id", job.id());
        view.put("video_id", job.style().sourceVideoId());
        view.put("status", status(job.status()));
        view.put("progress_percent", job.progress());
        view.put("current_stage", currentStage(job));
        view.put("created_at", Timestamps.iso(job.createdAt()));
        view.put("updated_at", Timestamps.iso(job.updatedAt()));
        view.put("started_at", Timestamps.iso(job.startedAt()));
        view.put("completed_at", Timestamps.iso(job.completedAt()));
        view.put("template_video_id", job.style().templateVideoId());
        return view;
    }

    /** JobDetailResponse: JobResponse plus the StyleJSON, the output link, the error and the processing time. */
    public Map<String, Object> detail(Job job) {
        Map<String, Object> view = job(job);
        view.put("style_json", styleJson(job));
        view.put("output_video_url", job.status() == JobStatus.COMPLETED && job.outputVideoKey() != null
                ? links.signedUrl(job.outputVideoKey()) : null);
        if (job.status() == JobStatus.FAILED) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", "PROCESSING_FAILED");
            error.put("message", job.errorMessage());
            view.put("error", error);
        } else {
            view.put("error", null);
        }
        view.put("processing_time_seconds", job.status() == JobStatus.COMPLETED && job.startedAt() != null
                && job.completedAt() != null
                ? Duration.between(job.startedAt(), job.completedAt()).toMillis() / 1000.0 : null);
        return view;
    }

    private Object styleJson(Job job) {
        String text = job.style().styleJson();
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException unreadable) {
            return null;
        }
    }

    /**
     * The stage while processing, in the document's names, which only move forward: a job still being prepared is
     * at the first stage, and storing the rendered output (the worker's {@code uploading}) is still the last one,
     * {@code rendering}, as the document's enum has nothing after it.
     */
    private static String currentStage(Job job) {
        if (job.status() != JobStatus.PROCESSING) {
            return null;
        }
        return surfaceStage(job.stage());
    }

    /** The document's stage for a worker's stage name. */
    static String surfaceStage(String workerStage) {
        if (STAGES.contains(workerStage)) {
            return workerStage;
        }
        return "uploading".equals(workerStage) ? "rendering" : "video_analysis";
    }

    public static String status(JobStatus status) {
        return switch (status) {
            case PENDING -> "queued";
            default -> status.name().toLowerCase(Locale.ROOT);
        };
    }

    public static Optional<JobStatus> fromStatus(String name) {
        for (JobStatus status : JobStatus.values()) {
            if (status(status).equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
