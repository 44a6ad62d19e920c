package dev.reelroute.api;

import dev.reelroute.web.ApiPrincipals;
import dev.reelroute.web.Timestamps;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobLogLine;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.JobStore;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.storage.LinkSigner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

/**
 * GET /api/dashboard/jobs: what the dashboard page shows of the caller's account, every kind of job in one list,
 * with what each surface's own status read would give (stage, progress, logs, cost, the video) and how to cancel it.
 */
@Component("dashboardApi")
public class DashboardApi {
    static final int MAX_JOBS = 50;
    static final int MAX_LOG_LINES = 30;

    private final JobStore jobs;
    private final LinkSigner links;

    public DashboardApi(JobStore jobs, LinkSigner links) {
        this.jobs = jobs;
        this.links = links;
    }

    public Map<String, Object> jobs(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal) {
        List<Map<String, Object>> views = jobs.recentForAccount(principal.accountId(), MAX_JOBS).stream()
                .map(this::view).toList();
        return Map.of("jobs", views);
    }

    private Map<String, Object> view(Job job) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", job.id());
        view.put("kind", job.kind());
        view.put("status", job.status().name());
        view.put("stage", job.stage());
        view.put("statusMessage", job.statusMessage());
        view.put("progress", job.progress());
        view.put("errorMessage", job.errorMessage());
        view.put("tokensConsumed", job.tokensConsumed());
        view.put("costUsd", job.costUsd());
        boolean done = job.status() == JobStatus.COMPLETED && job.outputVideoKey() != null;
        view.put("videoUrl", done ? links.signedUrl(job.outputVideoKey()) : null);
        view.put("thumbnailUrl", done && job.thumbnailKey() != null ? links.signedUrl(job.thumbnailKey()) : null);
        view.put("cancelPath", cancelPath(job));
        view.put("webhookUrl", job.webhookUrl());
        List<JobLogLine> logs = jobs.logs(job.id());
        view.put("logs", logs.subList(Math.max(0, logs.size() - MAX_LOG_LINES), logs.size()).stream()
                .map(line -> Map.of("timestamp", Timestamps.iso(line.timestamp()), "level", line.level(),
                        "message", line.message()))
                .toList());
        view.put("createdAt", Timestamps.iso(job.createdAt()));
        view.put("updatedAt", Timestamps.iso(job.updatedAt()));
        return view;
    }

    /** The surface's own cancel, while that surface allows one; null otherwise. */
    static String cancelPath(Job job) {
        boolean pending = job.status() == JobStatus.PENDING;
        boolean active = pending || job.status() == JobStatus.PROCESSING;
        return switch (job.kind()) {
            case Job.KIND_IMAGE_AUDIO -> pending ? "/api/jobs/" + job.id() + "/cancel" : null;
            case Job.KIND_VIDEO_JOB -> active ? "/api/v1/video-jobs/" + job.id() + "/cancel" : null;
            case Job.KIND_STYLE_TRANSFER -> active ? "/api/v1/jobs/" + job.id() + "/cancel" : null;
            default -> null;
        };
    }
}
