package dev.reelroute.prompt;

import dev.reelroute.web.ApiPrincipals;
import dev.reelroute.web.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.config.Ids;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.job.ActiveJobLimitException;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.NewJob;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.webhook.WebhookEvents;
import dev.reelroute.webhook.WebhookUrlGuard;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ExchangeProperty;
import org.springframework.stereotype.Component;

/**
 * POST /api/generate: a prompt, an optional voiceover script and an optional webhook URL. The
 * answer comes at once with an estimate made from how long recent jobs of the kind really took.
 */
@Component("generateApi")
public class GenerateApi {
    static final int MAX_PROMPT = 500;
    static final int MAX_SCRIPT = 1000;
    private static final int ESTIMATE_SAMPLE = 20;

    private final JobStore jobs;
    private final WebhookUrlGuard webhookGuard;
    private final ReelrouteProperties properties;

    public GenerateApi(JobStore jobs, WebhookUrlGuard webhookGuard, ReelrouteProperties properties) {
        this.jobs = jobs;
        this.webhookGuard = webhookGuard;
        this.properties = properties;
    }

    /** One invalid field of the request, as the document's validation errors list them. */
    public record FieldError(List<String> path, String message) {}

    static final String WEBHOOK_EVENTS_FILTER = "webhook_events_filter";

    public String create(JsonNode body, @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal) {
        List<FieldError> errors = new ArrayList<>();
        String prompt = text(body, "prompt", 1, MAX_PROMPT, true, errors);
        String script = text(body, "script", 0, MAX_SCRIPT, false, errors);
        String webhookUrl = text(body, "webhook_url", 1, 2048, false, errors);
        if (webhookUrl != null) {
            try {
                webhookUrl = webhookGuard.check(webhookUrl).toString();
            } catch (WebhookUrlGuard.RejectedUrlException rejected) {
                errors.add(new FieldError(List.of("webhook_url"), "Invalid url: " + rejected.getMessage()));
            }
        }
        String webhookEvents = webhookEvents(body, errors);
        if (!errors.isEmpty()) {
            String summary = errors.stream().map(e -> e.path().get(0) + ": " + e.message())
                    .reduce((a, b) -> a + "; " + b).orElse("");
            throw new ApiException(400, "Invalid request: " + summary, errors);
        }
        String jobId = Ids.newId();
        int seconds = properties.generate().defaultSeconds();
        PromptSpec spec = new PromptSpec(prompt, script == null || script.isBlank() ? null : script, "local", null,
                null, seconds, true, false, null, null, List.of());
        try {
            jobs.insertPendingForAccount(new NewJob(jobId, principal.accountId(), principal.apiKeyId(),
                    Job.KIND_GENERATE, webhookUrl, null, null, 0, Ids.randomToken(24), spec, "local", 0)
                    .withWebhookEvents(webhookEvents),
                    properties.generate().maxConcurrentPerAccount());
        } catch (ActiveJobLimitException limit) {
            throw new ApiException(429, "Too many jobs in progress (limit " + limit.limit()
                    + "); wait for one to finish");
        }
        return jobId;
    }

    /** {@code webhook_events_filter}: an array of start, progress, completed (absent: completed only). */
    private static String webhookEvents(JsonNode body, List<FieldError> errors) {
        JsonNode node = body.get(WEBHOOK_EVENTS_FILTER);
        if (node == null || node.isNull()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        if (!node.isArray()) {
            errors.add(new FieldError(List.of(WEBHOOK_EVENTS_FILTER), "Expected array, received "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
            return null;
        }
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                errors.add(new FieldError(List.of(WEBHOOK_EVENTS_FILTER), "Expected an array of strings"));
                return null;
            }
            names.add(item.asText());
        }
        try {
            return WebhookEvents.stored(names);
        } catch (WebhookEvents.InvalidFilterException invalid) {
            errors.add(new FieldError(List.of(WEBHOOK_EVENTS_FILTER), "The filter " + invalid.getMessage()));
            return null;
        }
    }

    private static String text(JsonNode body, String field, int min, int max, boolean required,
                               List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new FieldError(List.of(field), "Required"));
            }
            return null;
        }
        if (!node.isTextual()) {
            errors.add(new FieldError(List.of(field), "Expected string, received " + node.getNodeType()
                    .name().toLowerCase(java.util.Locale.ROOT)));
            return null;
        }
        String value = node.asText();
        if (value.strip().length() < min) {
            errors.add(new FieldError(List.of(field), "String must contain at least " + min + " character(s)"));
        } else if (value.length() > max) {
            errors.add(new FieldError(List.of(field), "String must contain at most " + max + " character(s)"));
        }
        return value.strip();
    }

    /** The 202 answer: the job id, queued, and the estimate. */
    public Map<String, Object> accepted(String jobId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job_id", jobId);
        body.put("status", "queued");
        body.put("estimated_time_seconds", estimatedSeconds());
        return body;
    }

    /**
     * The mean submission-to-completion time of the latest completed jobs, times the queue ahead of this one
     * shared among the instance's workers; the configured first guess until a job of the kind has finished.
     */
    long estimatedSeconds() {
        List<Double> recent = jobs.recentTurnaroundSeconds(Job.KIND_GENERATE, ESTIMATE_SAMPLE);
        double each = recent.isEmpty() ? properties.generate().initialEstimateSeconds()
                : recent.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        long ahead = Math.max(0, jobs.countPending(Job.KIND_GENERATE) - 1);
        int workers = Math.max(1, properties.jobs().consumers());
        return Math.max(1, Math.round(each * (1 + (double) ahead / workers)));
    }
}
