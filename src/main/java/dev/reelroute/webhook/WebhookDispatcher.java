package dev.reelroute.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.config.Ids;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.job.DatabaseOutage;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.ProgressEvent;
import dev.reelroute.security.Account;
import dev.reelroute.security.AccountStore;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The webhook steps the routes call: build the event when a job ends, sign each attempt, record its outcome.
 * The body of an event is the job's status response as it was when the job ended.
 */
@Component("webhookDispatcher")
public class WebhookDispatcher {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** An attempt the database's outage stopped before the POST is tried again this much later, uncounted. */
    static final long DATABASE_RETRY_MILLIS = 5_000;
    public static final String JOB_ID = "jobId";
    public static final String EVENT_ID = "eventId";
    /** Exchange property with the signed body; kept apart so a redelivery never sends the receiver's answer. */
    public static final String PAYLOAD = "webhookPayload";
    /** Message header and exchange property: which attempt of the event this is (1-based). */
    public static final String ATTEMPT = "webhookAttempt";
    /**
     * Exchange property: the outcome recorded for this attempt (delivered, failed) or, by webhook-exhausted, for the
     * event (exhausted); unset when nothing was recorded (the job is gone, the database failed). Ops counts it.
     */
    public static final String OUTCOME = "webhookOutcome";
    /** Artemis's scheduled delivery time (epoch millis): a retry waits on the broker, persistent across restarts. */
    public static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";

    private final JobStore jobs;
    private final AccountStore accounts;
    private final WebhookPayloads payloads;
    private final WebhookUrlGuard guard;
    private final WebhookDeliveryStore deliveries;
    private final ObjectMapper json;
    private final Clock clock;
    private final WebhookSchedule schedule;

    public WebhookDispatcher(JobStore jobs, AccountStore accounts, WebhookPayloads payloads, WebhookUrlGuard guard,
                             WebhookDeliveryStore deliveries, ObjectMapper json, Clock clock,
                             ReelrouteProperties properties) {
        var settings = properties.webhooks();
        this.schedule = new WebhookSchedule(settings.schedule(), settings.jitter(), settings.maxRetryAfter(),
                java.util.concurrent.ThreadLocalRandom.current()::nextDouble);
        this.jobs = jobs;
        this.accounts = accounts;
        this.payloads = payloads;
        this.guard = guard;
        this.deliveries = deliveries;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The event body for a job that just ended, or null when there is nothing to send: no webhook URL, or a
     * {@code webhookEventsFilter} without {@code completed}.
     */
    public String eventFor(String jobId) throws JsonProcessingException {
        Job job = jobs.find(jobId).orElse(null);
        if (job == null || job.webhookUrl() == null || !job.status().isTerminal()
                || !WebhookEvents.of(jobs.webhookEvents(jobId)).contains(WebhookEvents.Event.COMPLETED)) {
            return null;
        }
        return json.writeValueAsString(payloads.payloadOf(job));
    }

    /**
     * The webhook of a progress event, for jobs whose filter asks for it: the stage a worker starts with
     * ({@code preparing}, right after it claimed the job) is {@code start}, every later stage {@code progress}.
     * Finer progress steps (FFmpeg's) send nothing, nor do terminal events (see {@link #eventFor(String)}). The
     * body is the job's status response at that moment, as for the terminal event. Null: nothing to send.
     */
    public String eventFor(ProgressEvent event) throws JsonProcessingException {
        if (event == null || !"stage".equals(event.type())) {
            return null;
        }
        WebhookEvents.Event kind = "preparing".equals(event.stage()) ? WebhookEvents.Event.START
                : WebhookEvents.Event.PROGRESS;
        Job job = jobs.find(event.jobId()).orElse(null);
        if (job == null || job.webhookUrl() == null || job.status().isTerminal()
                || !WebhookEvents.of(jobs.webhookEvents(job.id())).contains(kind)) {
            return null;
        }
        return json.writeValueAsString(payloads.payloadOf(job));
    }

    public String newEventId() {
        return "msg_" + Ids.randomToken(18);
    }

    /**
     * Prepares one attempt: checks the URL again (DNS may have changed since the job was created), then sets
     * the target and the signature headers. Only headers set here reach the receiver.
     */
    public void prepareAttempt(Exchange exchange) {
        String jobId = exchange.getProperty(JOB_ID, String.class);
        String eventId = exchange.getProperty(EVENT_ID, String.class);
        String body = exchange.getProperty(PAYLOAD, String.class);
        // nothing to record against a job that is gone (its attempt rows went with it)
        Job job = jobs.find(jobId).orElseThrow(
                () -> WebhookDeliveryException.recorded("Job " + jobId + " no longer exists"));
        Account account = accounts.findAccount(job.accountId()).orElseThrow();
        int attempt = exchange.getProperty(ATTEMPT, 1, Integer.class);
        exchange.setProperty("webhookUrl", job.webhookUrl());
        exchange.setProperty("webhookStartedNanos", System.nanoTime());
        try {
            guard.check(job.webhookUrl());
        } catch (WebhookUrlGuard.RejectedUrlException rejected) {
            // a refused attempt is an attempt: recordError writes its row and counts it
            throw new WebhookDeliveryException("URL refused: " + rejected.getMessage());
        }
        Map<String, String> signature = WebhookSigner.headers(account.webhookSecret(), eventId,
                clock.instant().getEpochSecond(), body);
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(body);
        signature.forEach(message::setHeader);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.HTTP_URI, job.webhookUrl());
        message.setHeader("User-Agent", "reelroute-webhooks/1");
    }

    /** Records the attempt; anything but a 2xx is a failure that the route's redelivery policy retries. */
    public void recordResponse(Exchange exchange) {
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        long latencyMs = latencyMs(exchange);
        String jobId = exchange.getProperty(JOB_ID, String.class);
        String eventId = exchange.getProperty(EVENT_ID, String.class);
        int attempt = exchange.getProperty("webhookAttempt", 1, Integer.class);
        String url = exchange.getProperty("webhookUrl", String.class);
        if (status >= 200 && status < 300) {
            deliveries.record(jobId, eventId, attempt, url, status, latencyMs, null, WebhookDelivery.DELIVERED);
            exchange.setProperty(OUTCOME, WebhookDelivery.DELIVERED);
            log.info("Webhook {} for job {} delivered on attempt {} ({} ms)", eventId, jobId, attempt, latencyMs);
            return;
        }
        String error = status >= 300 && status < 400 ? "Redirects are not followed"
                : status == 410 ? "Receiver answered 410 Gone: no further attempts for this event"
                : "Receiver answered " + status;
        deliveries.record(jobId, eventId, attempt, url, status, latencyMs, error, WebhookDelivery.FAILED);
        exchange.setProperty(OUTCOME, WebhookDelivery.FAILED);
        if (status == 410) {
            exchange.setProperty("webhookGone", true);
        } else if (status == 429 || status == 503) {
            exchange.setProperty("webhookRetryAfter", retryAfterSeconds(
                    exchange.getMessage().getHeader("Retry-After", String.class)));
        }
        throw WebhookDeliveryException.recorded(error);
    }

    /** Records an attempt that failed before any answer (connection refused, timeout, URL refused at the re-check). */
    public void recordError(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        if (cause instanceof WebhookDeliveryException delivery && delivery.isRecorded()) {
            return; // already recorded with its status code
        }
        String jobId = exchange.getProperty(JOB_ID, String.class);
        String eventId = exchange.getProperty(EVENT_ID, String.class);
        deliveries.record(jobId, eventId,
                exchange.getProperty("webhookAttempt", 1, Integer.class),
                exchange.getProperty("webhookUrl", String.class),
                null, latencyMs(exchange), describe(cause), WebhookDelivery.FAILED);
        exchange.setProperty(OUTCOME, WebhookDelivery.FAILED);
    }

    /**
     * After a failed attempt: the epoch millis at which the next attempt is due (its message is scheduled on the
     * broker), or -1 when there is none (the schedule is used up: exhausted; or the receiver answered 410).
     */
    public long nextAttemptAt(Exchange exchange) {
        if (Boolean.TRUE.equals(exchange.getProperty("webhookGone", Boolean.class))) {
            return -1;
        }
        if (databaseUnavailable(exchange)) {
            log.warn("Webhook {} for job {}: the database is unavailable; attempt {} is tried again in {} s",
                    exchange.getProperty(EVENT_ID), exchange.getProperty(JOB_ID),
                    exchange.getProperty(ATTEMPT, 1, Integer.class), DATABASE_RETRY_MILLIS / 1000);
            return clock.millis() + DATABASE_RETRY_MILLIS;
        }
        int attempt = exchange.getProperty(ATTEMPT, 1, Integer.class);
        var delay = schedule.delayBefore(attempt + 1, exchange.getProperty("webhookRetryAfter", Long.class));
        return delay.isPresent() ? clock.millis() + delay.getAsLong() : -1;
    }

    /** Retry-After in seconds (delta-seconds or an HTTP date), or null when absent or unreadable. */
    static Long retryAfterSeconds(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Math.max(0, Long.parseLong(value.strip()));
        } catch (NumberFormatException notSeconds) {
            try {
                var date = java.time.ZonedDateTime.parse(value.strip(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, java.time.Duration.between(java.time.Instant.now(), date.toInstant()).toSeconds());
            } catch (java.time.format.DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    public int nextAttemptNumber(Exchange exchange) {
        int attempt = exchange.getProperty(ATTEMPT, 1, Integer.class);
        return databaseUnavailable(exchange) ? attempt : attempt + 1;
    }

    /**
     * The attempt failed in the database (reading the job, or recording the attempt), not at the receiver, so it
     * must not use up the schedule (a long outage would exhaust it). Any database failure counts, not only an
     * outage: such an attempt has no row to count.
     */
    private static boolean databaseUnavailable(Exchange exchange) {
        return DatabaseOutage.isDatabaseFailure(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    public boolean gone(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.getProperty("webhookGone", Boolean.class));
    }

    /** The last attempt failed: the event goes to the dead-letter queue and stays visible as exhausted. */
    public void recordExhausted(Exchange exchange) {
        String jobId = exchange.getProperty(JOB_ID, String.class);
        String eventId = exchange.getProperty(EVENT_ID, String.class);
        String url = jobs.find(jobId).map(Job::webhookUrl).orElse("");
        deliveries.record(jobId, eventId, 0, url, null, null, "Gave up after all retries", WebhookDelivery.EXHAUSTED);
        exchange.setProperty(OUTCOME, WebhookDelivery.EXHAUSTED);
        log.warn("Webhook {} for job {} exhausted its retries; moved to the dead-letter queue", eventId, jobId);
    }

    private static long latencyMs(Exchange exchange) {
        Long started = exchange.getProperty("webhookStartedNanos", Long.class);
        return started == null ? 0 : (System.nanoTime() - started) / 1_000_000;
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "Unknown error";
        }
        String message = cause.getMessage();
        if (cause instanceof WebhookDeliveryException) {
            return message;
        }
        if (cause instanceof WebhookConnections.RefusedAtConnectException) {
            return "URL refused when connecting: " + message;
        }
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
