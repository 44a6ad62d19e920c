package dev.reelroute.prompt;

import dev.reelroute.web.Timestamps;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobLogLine;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.storage.LinkSigner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The VideoJob object of the video jobs API, with its status names; links are signed afresh on every read. */
@Component
public class VideoJobViews {
    private final LinkSigner links;

    public VideoJobViews(LinkSigner links) {
        this.links = links;
    }

    public Map<String, Object> job(Job job, List<JobLogLine> logs) {
        PromptSpec spec = job.prompt();
        boolean succeeded = job.status() == JobStatus.COMPLETED && job.outputVideoKey() != null;
        String videoUrl = succeeded ? links.signedUrl(job.outputVideoKey()) : null;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", job.id());
        view.put("userId", job.accountId());
        view.put("prompt", spec.prompt());
        view.put("model", spec.model());
        view.put("resolution", spec.resolution());
        view.put("aspectRatio", spec.aspectRatio());
        view.put("durationSeconds", spec.durationSeconds());
        view.put("generateAudio", spec.generateAudio());
        view.put("mockMode", spec.mockMode());
        view.put("hasInitialImage", spec.initialImageKey() != null);
        view.put("hasEndFrame", spec.endFrameKey() != null);
        view.put("referenceImageCount", spec.referenceImageKeys().size());
        view.put("status", documentStatus(job.status()));
        view.put("statusMessage", job.statusMessage());
        view.put("progressPercentage", job.progress());
        view.put("logs", logs.stream().map(VideoJobViews::logLine).toList());
        view.put("tokensConsumed", job.tokensConsumed());
        // who made the video: "local" for the mock engine, else the model's provider
        view.put("engine", job.provider());
        view.put("cloudinaryUrl", videoUrl);
        view.put("videoUrl", videoUrl);
        view.put("thumbnailUrl", succeeded && job.thumbnailKey() != null ? links.signedUrl(job.thumbnailKey()) : null);
        view.put("videoDurationSeconds", job.outputDurationMs() == null ? null : job.outputDurationMs() / 1000.0);
        view.put("errorMessage", job.errorMessage());
        view.put("createdAt", Timestamps.iso(job.createdAt()));
        view.put("startedAt", Timestamps.iso(job.startedAt()));
        view.put("completedAt", Timestamps.iso(job.completedAt()));
        view.put("updatedAt", Timestamps.iso(job.updatedAt()));
        return view;
    }

    private static Map<String, Object> logLine(JobLogLine line) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("timestamp", Timestamps.iso(line.timestamp()));
        view.put("level", line.level().toLowerCase(Locale.ROOT));
        view.put("message", line.message());
        return view;
    }

    /** The document's names: RUNNING for PROCESSING, SUCCEEDED for COMPLETED. */
    public static String documentStatus(JobStatus status) {
        return switch (status) {
            case PROCESSING -> "RUNNING";
            case COMPLETED -> "SUCCEEDED";
            default -> status.name();
        };
    }

    public static Optional<JobStatus> fromDocumentStatus(String name) {
        for (JobStatus status : JobStatus.values()) {
            if (documentStatus(status).equals(name)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
