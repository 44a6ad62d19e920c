package dev.reelroute.api;

import dev.reelroute.web.ApiPrincipals;
import dev.reelroute.web.Timestamps;
import dev.reelroute.web.ApiException;
import dev.reelroute.web.QueryParams;
import dev.reelroute.config.Ids;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.JobStore;
import dev.reelroute.project.ProjectStore;
import dev.reelroute.security.Account;
import dev.reelroute.security.AccountStore;
import dev.reelroute.web.ApiAuthFilter;
import dev.reelroute.security.ApiPrincipal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * An account as its own credentials read it ({@code GET /api/account}) and as the admin API lists and reads it
 * ({@code GET /admin/accounts}, {@code GET /admin/accounts/{accountId}}): id, name, limits, token balance, usage.
 * Never a key's hash or the webhook secret; keys appear by id and label only.
 */
@Component("accountApi")
public class AccountApi {
    static final String NOT_FOUND = "Account not found";
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;

    private final AccountStore accounts;
    private final JobStore jobs;
    private final ProjectStore projects;
    private final ReelrouteProperties properties;

    public AccountApi(AccountStore accounts, JobStore jobs, ProjectStore projects, ReelrouteProperties properties) {
        this.accounts = accounts;
        this.jobs = jobs;
        this.projects = projects;
        this.properties = properties;
    }

    /** GET /api/account: the caller's own account, and which of its keys is calling (null for a JWT). */
    public Map<String, Object> own(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal) {
        // the filter found the account a moment ago; one deleted since is the same answer as a wrong key
        Account account = accounts.findAccount(principal.accountId())
                .orElseThrow(() -> new ApiException(401, ApiAuthFilter.KEY_NOT_RECOGNIZED));
        Map<String, Object> view = detail(account);
        view.put("apiKeyId", principal.apiKeyId());
        return view;
    }

    /** GET /admin/accounts: oldest first, in cursor pages. */
    public Map<String, Object> list(@Header("limit") String limitParam, @Header("cursor") String cursor) {
        int limit = QueryParams.boundedInt(limitParam, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String after = cursor == null || cursor.isBlank() ? null : cursor.strip();
        if (after != null && !Ids.isWellFormed(after)) {
            throw ApiException.badRequest("Invalid cursor");
        }
        AccountStore.AccountPage page = accounts.list(after, limit)
                .orElseThrow(() -> ApiException.badRequest("Invalid cursor: use the nextCursor of a previous page"));
        List<Map<String, Object>> items = page.accounts().stream().map(account -> {
            Map<String, Object> item = summary(account);
            item.put("activeKeys", page.activeKeys().getOrDefault(account.id(), 0));
            return item;
        }).toList();
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("limit", limit);
        pagination.put("nextCursor", page.nextCursor());
        pagination.put("hasNextPage", page.hasNextPage());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accounts", items);
        body.put("pagination", pagination);
        return body;
    }

    /** GET /admin/accounts/{accountId}: the account with its usage and its keys. */
    public Map<String, Object> read(@Header("accountId") String accountId) {
        Account account = (accountId == null || !Ids.isWellFormed(accountId) ? null
                : accounts.findAccount(accountId).orElse(null));
        if (account == null) {
            throw ApiException.notFound(NOT_FOUND);
        }
        Map<String, Object> view = detail(account);
        view.put("keys", accounts.keys(account.id()).stream().map(key -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("apiKeyId", key.id());
            item.put("label", key.label());
            item.put("active", key.active());
            item.put("createdAt", Timestamps.iso(key.createdAt()));
            item.put("deactivatedAt", Timestamps.iso(key.deactivatedAt()));
            return item;
        }).toList());
        return view;
    }

    private Map<String, Object> summary(Account account) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("accountId", account.id());
        view.put("name", account.name());
        view.put("tokenBalance", account.tokenBalance());
        view.put("maxActiveJobsPerKey", account.maxActiveJobsPerKey());
        view.put("createdAt", Timestamps.iso(account.createdAt()));
        return view;
    }

    private Map<String, Object> detail(Account account) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("accountId", account.id());
        view.put("name", account.name());
        view.put("tokenBalance", account.tokenBalance());
        view.put("limits", limits(account));
        view.put("usage", usage(account));
        view.put("createdAt", Timestamps.iso(account.createdAt()));
        return view;
    }

    /** What the account may do at once, per surface, and the request rates (per client address). */
    private Map<String, Object> limits(Account account) {
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("maxActiveJobsPerKey", account.maxActiveJobsPerKey());
        limits.put("maxActiveVideoJobs", properties.videoJobs().maxConcurrentPerAccount());
        limits.put("maxActiveStyleJobs", properties.videoJobs().maxConcurrentPerAccount());
        limits.put("maxActiveGenerateJobs", properties.generate().maxConcurrentPerAccount());
        limits.put("videoJobTokenCost", properties.videoJobs().tokenCost());
        limits.put("requestsPerMinute", properties.rateLimit().apiPerMinute());
        limits.put("submissionsPerMinute", properties.rateLimit().submitPerMinute());
        return limits;
    }

    /** Jobs of every surface by status, and the video projects' runs and their cost. */
    private Map<String, Object> usage(Account account) {
        Map<JobStatus, Long> counts = jobs.countByStatus(account.id());
        ProjectStore.Usage projectUsage = projects.usage(account.id());
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("jobs", counts.values().stream().mapToLong(Long::longValue).sum());
        usage.put("activeJobs", counts.getOrDefault(JobStatus.PENDING, 0L)
                + counts.getOrDefault(JobStatus.PROCESSING, 0L));
        usage.put("completedJobs", counts.getOrDefault(JobStatus.COMPLETED, 0L));
        usage.put("failedJobs", counts.getOrDefault(JobStatus.FAILED, 0L));
        usage.put("cancelledJobs", counts.getOrDefault(JobStatus.CANCELLED, 0L));
        usage.put("videoProjects", projectUsage.projects());
        usage.put("runs", projectUsage.runs());
        usage.put("completedRuns", projectUsage.completedRuns());
        usage.put("runsCost", projectUsage.totalCost());
        return usage;
    }
}
