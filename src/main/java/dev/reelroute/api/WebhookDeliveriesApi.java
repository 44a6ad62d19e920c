package dev.reelroute.api;

import dev.reelroute.web.ApiPrincipals;
import dev.reelroute.web.Timestamps;
import dev.reelroute.web.ApiException;
import dev.reelroute.job.Job;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.webhook.WebhookDelivery;
import dev.reelroute.webhook.WebhookDeliveryStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * GET /api/jobs/{jobId}/webhook-deliveries lists every attempt of the job's webhook (time, status code, latency,
 * error, outcome); POST …/redeliver queues the job's terminal event again, so an exhausted delivery is replayable.
 */
@Component("webhookDeliveriesApi")
public class WebhookDeliveriesApi {
    private final JobsApi jobsApi;
    private final WebhookDeliveryStore deliveries;
    private final dev.reelroute.job.JobStore jobs;

    public WebhookDeliveriesApi(JobsApi jobsApi, WebhookDeliveryStore deliveries, dev.reelroute.job.JobStore jobs) {
        this.jobs = jobs;
        this.jobsApi = jobsApi;
        this.deliveries = deliveries;
    }

    public Map<String, Object> list(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                    @Header("jobId") String jobId) {
        Job job = jobsApi.ownJob(principal, jobId);
        List<Map<String, Object>> attempts = deliveries.forJob(job.id()).stream().map(WebhookDeliveriesApi::view)
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobId", job.id());
        body.put("webhookUrl", job.webhookUrl());
        body.put("deliveries", attempts);
        return body;
    }

    /** Checks the job can be redelivered (ended, with a webhook URL) and leaves its id in property jobId. */
    public void redeliverable(Exchange exchange, @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                              @Header("jobId") String jobId) {
        Job job = jobsApi.ownJob(principal, jobId);
        if (job.webhookUrl() == null) {
            throw ApiException.badRequest("This job has no webhook URL");
        }
        if (!job.status().isTerminal()) {
            throw ApiException.conflict("The job is " + job.status().name()
                    + ": its webhook is sent when it ends, and can be redelivered after that");
        }
        if (!dev.reelroute.webhook.WebhookEvents.of(jobs.webhookEvents(job.id()))
                .contains(dev.reelroute.webhook.WebhookEvents.Event.COMPLETED)) {
            throw ApiException.badRequest("This job's webhook events filter leaves out completed: it has no "
                    + "terminal event to redeliver");
        }
        exchange.setProperty("jobId", job.id());
    }

    public Map<String, Object> queued(Exchange exchange) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "Redelivery queued");
        body.put("jobId", exchange.getProperty("jobId"));
        body.put("eventId", exchange.getMessage().getHeader("eventId"));
        return body;
    }

    private static Map<String, Object> view(WebhookDelivery delivery) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("eventId", delivery.eventId());
        view.put("attempt", delivery.attempt());
        view.put("url", delivery.url());
        view.put("statusCode", delivery.statusCode());
        view.put("latencyMs", delivery.latencyMs());
        view.put("error", delivery.error());
        view.put("outcome", delivery.outcome());
        view.put("attemptedAt", Timestamps.iso(delivery.attemptedAt()));
        return view;
    }
}
