package dev.reelroute.api;

import dev.reelroute.web.ApiPrincipals;
import dev.reelroute.web.ApiException;
import dev.reelroute.web.QueryParams;
import dev.reelroute.config.Ids;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobPage;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.JobStore;
import dev.reelroute.security.ApiPrincipal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** GET /api/jobs, GET /api/status/{jobId}, POST /api/jobs/{jobId}/cancel. */
@Component("jobsApi")
public class JobsApi {
    static final String JOB_NOT_FOUND = "Job not found";
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;

    private final JobStore jobs;
    private final JobViews views;

    public JobsApi(JobStore jobs, JobViews views) {
        this.jobs = jobs;
        this.views = views;
    }

    public Map<String, Object> list(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                    @Header("limit") String limitParam, @Header("cursor") String cursor,
                                    @Header("status") String statusParam) {
        int limit = QueryParams.boundedInt(limitParam, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        JobStatus status = parseStatus(statusParam);
        String after = cursor == null || cursor.isBlank() ? null : cursor.strip();
        if (after != null && !Ids.isWellFormed(after)) {
            throw ApiException.badRequest("Invalid cursor");
        }
        JobPage page = jobs.list(principal.accountId(), status, after, limit)
                .orElseThrow(() -> ApiException.badRequest("Invalid cursor: use the nextCursor of a previous page"));
        List<Map<String, Object>> items = page.jobs().stream().map(views::listItem).toList();
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("limit", limit);
        pagination.put("nextCursor", page.nextCursor());
        pagination.put("hasNextPage", page.hasNextPage());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobs", items);
        body.put("pagination", pagination);
        return body;
    }

    public Map<String, Object> status(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                      @Header("jobId") String jobId) {
        return views.status(ownJob(principal, jobId));
    }

    /** Only a PENDING job can be cancelled: once a worker has it, 409. */
    public Map<String, Object> cancel(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                      @Header("jobId") String jobId) {
        Job job = ownJob(principal, jobId);
        if (!jobs.cancelIfPending(job.id(), principal.accountId())) {
            throw ApiException.conflict("Job is " + jobs.find(job.id()).map(j -> j.status().name()).orElse("gone")
                    + " and can no longer be cancelled: only PENDING jobs can");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("message", "Job cancelled successfully");
        return body;
    }

    /** The caller's job of any kind (the /api/jobs paths); another account's is a 404 like a missing one. */
    Job ownJob(ApiPrincipal principal, String jobId) {
        return jobs.findOwned(jobId, principal.accountId(), null)
                .orElseThrow(() -> ApiException.notFound(JOB_NOT_FOUND));
    }

    private static JobStatus parseStatus(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return JobStatus.valueOf(value.strip());
        } catch (IllegalArgumentException unknown) {
            throw ApiException.badRequest("status must be one of PENDING, PROCESSING, COMPLETED, FAILED, CANCELLED");
        }
    }
}
