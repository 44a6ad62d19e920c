package dev.reelroute.api;

import dev.reelroute.web.ApiPrincipals;
import dev.reelroute.web.ApiException;
import dev.reelroute.web.MultipartBodyFilter;
import dev.reelroute.idempotency.IdempotencyStore;
import dev.reelroute.idempotency.RequestFingerprint;
import dev.reelroute.security.ApiPrincipal;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.apache.camel.spi.SynchronizationRouteAware;
import org.apache.camel.support.SynchronizationAdapter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Idempotency-Key on the create endpoints (and the JMS property idempotencyKey): the first request with a key
 * claims it and, once its job exists, stores the answer it gave; a repeat with the same fingerprint gets that
 * answer back and makes nothing, one with another fingerprint is a 422 (IDEMPOTENCY_KEY_REUSED). A request that
 * makes no job (refused, failed) frees its key again. Keys are per account and expire after the TTL.
 */
@Component("idempotencyKeys")
public class IdempotencyKeys {
    public static final String HEADER = "Idempotency-Key";
    public static final String JMS_PROPERTY = "idempotencyKey";
    /** Exchange property: true when the answer is a replay and the route must make nothing. */
    public static final String REPLAYED = "idempotentReplay";
    static final String CLAIM = "idempotencyClaim";
    static final int MAX_KEY_LENGTH = 255;
    static final String REUSED = "IDEMPOTENCY_KEY_REUSED";
    static final String IN_PROGRESS = "IDEMPOTENCY_KEY_IN_PROGRESS";
    private static final long POLL_MILLIS = 50;

    private final IdempotencyStore store;
    private final Clock clock;
    private final Duration ttl;
    private final Duration inProgressWait;
    private final Duration abandonedAfter;

    public IdempotencyKeys(IdempotencyStore store, Clock clock,
                           @Value("${reelroute.idempotency.ttl:24h}") Duration ttl,
                           @Value("${reelroute.idempotency.in-progress-wait:10s}") Duration inProgressWait,
                           @Value("${reelroute.idempotency.abandoned-after:10m}") Duration abandonedAfter) {
        this.store = store;
        this.clock = clock;
        this.ttl = ttl;
        this.inProgressWait = inProgressWait;
        this.abandonedAfter = abandonedAfter;
    }

    /** A key this exchange took; recorded once its job exists, released when the exchange ends without one. */
    private static final class Claim {
        final String accountId;
        final String key;
        final String fingerprint;
        /** Recorded with its request's answer, or released: either ends the claim, once. */
        final AtomicBoolean settled = new AtomicBoolean();

        Claim(String accountId, String key, String fingerprint) {
            this.accountId = accountId;
            this.key = key;
            this.fingerprint = fingerprint;
        }
    }

    /**
     * Releases a claim its request did not record, once, where no error handler did ({@link #releaseUnrecorded}):
     * when the route the request came in by has finished, or when the exchange ends, for an exchange that never
     * finished that route.
     */
    private final class ReleaseUnlessRecorded extends SynchronizationAdapter implements SynchronizationRouteAware {
        private final Claim claim;

        ReleaseUnlessRecorded(Claim claim) {
            this.claim = claim;
        }

        @Override
        public void onBeforeRoute(Route route, Exchange exchange) {
            // nothing: the claim is taken inside the route
        }

        @Override
        public void onAfterRoute(Route route, Exchange exchange) {
            if (route.getRouteId().equals(exchange.getFromRouteId())) {
                release(claim);
            }
        }

        @Override
        public void onDone(Exchange exchange) {
            release(claim);
        }
    }

    /**
     * A refused request's key, released by the error handlers before they answer (error-handling.camel.yaml): the
     * client may send the corrected request the moment it reads the refusal. Nothing when the exchange holds no
     * claim, or its claim is already recorded or released.
     */
    public void releaseUnrecorded(Exchange exchange) {
        Claim claim = exchange.getProperty(CLAIM, Claim.class);
        if (claim != null) {
            release(claim);
        }
    }

    private void release(Claim claim) {
        if (claim.settled.compareAndSet(false, true)) {
            store.release(claim.accountId, claim.key, claim.fingerprint);
        }
    }

    /**
     * REST, right after the principal is attached: without the header, nothing happens. A replay answers with the
     * stored status code and body and sets {@value #REPLAYED}.
     */
    public void claimHttp(Exchange exchange, @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal)
            throws IOException {
        if (!(exchange.getIn() instanceof PlatformHttpMessage http)) {
            return;
        }
        HttpServletRequest request = http.getRequest();
        String key = request.getHeader(HEADER);
        if (key == null) {
            return;
        }
        checkKey(key, HEADER + " header");
        String fingerprint = httpFingerprint(request, exchange);
        claim(exchange, principal.accountId(), key, fingerprint).ifPresent(original -> {
            Message answer = exchange.getMessage();
            answer.removeHeaders("*");
            answer.setHeader(Exchange.HTTP_RESPONSE_CODE, original.statusCode());
            answer.setHeader(Exchange.CONTENT_TYPE, "application/json");
            answer.setBody(original.responseBody());
        });
    }

    /** REST, after api-respond: stores the answer (status code and JSON) under the claimed key. */
    public void recordHttp(Exchange exchange, @ExchangeProperty("jobId") String jobId) {
        Message answer = exchange.getMessage();
        Integer status = answer.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        String body = answer.getBody(String.class);
        // the marshalled body may be a stream: what was read is what is sent
        answer.setBody(body);
        record(exchange, jobId, status, body);
    }

    /** JMS, right after the request is read and authenticated: the key is the message property idempotencyKey. */
    public void claimJms(Exchange exchange, @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal) {
        Object key = exchange.getIn().getHeader(JMS_PROPERTY);
        if (key == null) {
            return;
        }
        if (!(key instanceof String text)) {
            throw ApiException.badRequest("The " + JMS_PROPERTY + " property must be a string");
        }
        checkKey(text, JMS_PROPERTY + " property");
        String fingerprint = new RequestFingerprint().add("JMS").add("reelroute.jobs.submit")
                .add(exchange.getProperty(JmsSubmissions.REQUEST_TEXT, String.class)).hex();
        claim(exchange, principal.accountId(), text, fingerprint)
                .ifPresent(original -> exchange.getMessage().setBody(original.responseBody()));
    }

    /** JMS, once the reply to an accepted request is made (the body): stores it under the claimed key. */
    public void recordJms(Exchange exchange, @ExchangeProperty("jobId") String jobId) {
        record(exchange, jobId, null, exchange.getMessage().getBody(String.class));
    }

    /** The purge's cutoff (idempotency-purge): rows created before it have expired. */
    public Timestamp expiryCutoff() {
        return Timestamp.from(clock.instant().minus(ttl));
    }

    static void checkKey(String key, String where) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw ApiException.badRequest("The " + where + " must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw ApiException.badRequest("The " + where + " must be printable ASCII characters");
            }
        }
    }

    /**
     * Takes the key, or returns the original request's entry to replay. A different fingerprint is a 422; a
     * first request still being made is waited for, up to the in-progress wait, then a 409.
     */
    private Optional<IdempotencyStore.Entry> claim(Exchange exchange, String accountId, String key,
                                                   String fingerprint) {
        long waitUntil = System.nanoTime() + inProgressWait.toNanos();
        while (true) {
            Instant now = clock.instant();
            if (store.tryClaim(accountId, key, fingerprint, now)) {
                Claim claim = new Claim(accountId, key, fingerprint);
                exchange.setProperty(CLAIM, claim);
                exchange.getExchangeExtension().addOnCompletion(new ReleaseUnlessRecorded(claim));
                return Optional.empty();
            }
            Optional<IdempotencyStore.Entry> existing = store.find(accountId, key);
            if (existing.isEmpty()) {
                continue; // released or purged since the insert failed: try to take it again
            }
            IdempotencyStore.Entry entry = existing.get();
            if (entry.createdAt().isBefore(now.minus(ttl))) {
                store.deleteIfCreatedBefore(accountId, key, now.minus(ttl));
                continue;
            }
            if (!entry.fingerprint().equals(fingerprint)) {
                throw new ApiException(422, "This Idempotency-Key was already used with a different request")
                        .withCode(REUSED);
            }
            if (!entry.completed() && entry.createdAt().isBefore(now.minus(abandonedAfter))) {
                // the request that claimed it stopped mid-way (its instance went down): nothing will complete it
                store.release(accountId, key, entry.fingerprint());
                continue;
            }
            if (entry.completed()) {
                exchange.setProperty(REPLAYED, true);
                exchange.setProperty("jobId", entry.jobId());
                return existing;
            }
            if (System.nanoTime() > waitUntil) {
                throw new ApiException(409, "A request with this Idempotency-Key is still in progress; retry later")
                        .withCode(IN_PROGRESS);
            }
            sleep();
        }
    }

    private void record(Exchange exchange, String jobId, Integer status, String body) {
        Claim claim = exchange.getProperty(CLAIM, Claim.class);
        if (claim == null || jobId == null) {
            return;
        }
        store.complete(claim.accountId, claim.key, jobId, status, body);
        claim.settled.set(true);
    }

    /** Method, path, then the body bytes; for multipart, each part's name and value, or its file's SHA-256. */
    private static String httpFingerprint(HttpServletRequest request, Exchange exchange) throws IOException {
        RequestFingerprint fingerprint = new RequestFingerprint().add(request.getMethod()).add(request.getRequestURI());
        String contentType = request.getContentType();
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            try {
                for (Part part : request.getParts()) {
                    fingerprint.add(part.getName());
                    try (InputStream content = part.getInputStream()) {
                        if (part.getSubmittedFileName() != null) {
                            fingerprint.add("file").addHashOf(content);
                        } else {
                            fingerprint.add("field").add(content.readAllBytes());
                        }
                    }
                }
            } catch (ServletException notMultipart) {
                throw ApiException.badRequest(MultipartBodyFilter.MALFORMED);
            }
        } else {
            fingerprint.add(exchange.getIn().getBody(byte[].class));
        }
        return fingerprint.hex();
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new ApiException(409, "A request with this Idempotency-Key is still in progress; retry later")
                    .withCode(IN_PROGRESS);
        }
    }
}
