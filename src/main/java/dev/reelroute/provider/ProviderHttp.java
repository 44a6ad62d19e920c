package dev.reelroute.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.config.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One provider's HTTP calls, made by the camel-http routes of provider-http.camel.yaml: {@link #exchange} sends to
 * {@code direct:<provider>-<call>}, whose route retries (Camel redelivery, exponential backoff with jitter) on
 * 408/429/5xx, connection errors and timeouts, waiting as long as {@code Retry-After} says (seconds or an HTTP
 * date) up to {@link ProviderSettings#maxBackoff()}; other answers come back at once. The token never travels in a
 * Camel message: {@link ProviderHttpClient} adds it, only for the base URL's origin. This class turns what the
 * routes answer into {@link ProviderException}s, with the token redacted from every message it produces.
 */
public final class ProviderHttp {
    public static final int MAX_JSON_BYTES = 1 << 20;
    /** The exchange property the provider-http routes find the call's ProviderHttp in. */
    static final String PROPERTY = "providerHttp";
    private static final String DOWNLOAD_TARGET = "providerDownloadTarget";
    private static final String DOWNLOAD_MAX_BYTES = "providerDownloadMaxBytes";
    private static final String CALL = "providerHttpCall";
    private static final String URI_PROPERTY = "providerHttpUri";
    private static final int MAX_DETAIL_CHARS = 500;
    private static final Logger log = LoggerFactory.getLogger(ProviderHttp.class);

    /** A final (non-retried) answer: 2xx, or a 3xx/4xx the provider will answer the same way again. */
    public record Response(int status, byte[] body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Response[status=" + status + ", " + body.length + " bytes]";
        }
    }

    private final ProviderName provider;
    private final ProviderSettings settings;
    private final ObjectMapper mapper;
    private final ProducerTemplate routes;
    private final Clock clock;
    private final Consumer<Duration> retryAfterWaits;

    public ProviderHttp(ProviderName provider, ProviderSettings settings, ProducerTemplate routes) {
        this(provider, settings, routes, Clock.systemUTC(), wait -> { });
    }

    /** @param retryAfterWaits hears of every wait a {@code Retry-After} asked for (capped), for tests */
    public ProviderHttp(ProviderName provider, ProviderSettings settings, ProducerTemplate routes, Clock clock,
                        Consumer<Duration> retryAfterWaits) {
        this.provider = provider;
        this.settings = settings;
        this.mapper = new ObjectMapper();
        this.routes = routes;
        this.clock = clock;
        this.retryAfterWaits = retryAfterWaits;
    }

    public ProviderSettings settings() {
        return settings;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** {@code base + path}, where path starts with '/'. */
    public URI api(String path) {
        return URI.create(settings.baseUrl() + path);
    }

    // ------------------------------------------------------------------------------------------------- requests

    /** {@link #exchange}, then the 2xx body parsed, or throws (4xx: input error). */
    public JsonNode sendJson(String call, String method, URI uri, Object jsonBody) throws ProviderException {
        Response response = exchange(call, method, uri, jsonBody);
        if (!response.ok()) {
            throw failure(response);
        }
        return parse(response, method + " " + safe(uri));
    }

    /**
     * Sends through {@code direct:<provider>-<call>} and returns the final answer: 2xx, or a status that retrying
     * cannot change (any other 4xx, 3xx). Throws {@link ProviderException} (unavailable) once the retries are used
     * up, malformed when the answer is over {@link #MAX_JSON_BYTES}.
     */
    public Response exchange(String call, String method, URI uri, Object jsonBody) throws ProviderException {
        byte[] body;
        try {
            body = jsonBody == null ? null : mapper.writeValueAsBytes(jsonBody);
        } catch (IOException e) {
            throw new IllegalArgumentException("request body is not serializable as JSON", e);
        }
        Exchange answer = routes.send("direct:" + provider.id() + "-" + call, exchange -> {
            Message request = request(exchange, call, method, uri);
            request.setHeader("Accept", "application/json");
            if (body != null) {
                request.setHeader(Exchange.CONTENT_TYPE, "application/json");
                request.setBody(body);
            }
        });
        Exception failure = answer.getException();
        if (failure != null) {
            throw callFailed(method, uri, failure, attempts(answer));
        }
        byte[] bytes = answer.getMessage().getBody(byte[].class);
        return new Response(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class),
                bytes == null ? new byte[0] : bytes);
    }

    private Message request(Exchange exchange, String call, String method, URI uri) {
        exchange.setProperty(PROPERTY, this);
        exchange.setProperty(CALL, method + " " + safe(uri));
        exchange.setProperty(URI_PROPERTY, uri);
        Message request = exchange.getIn();
        request.setHeader(Exchange.HTTP_METHOD, method);
        String raw = uri.toString();
        int query = raw.indexOf('?');
        request.setHeader(Exchange.HTTP_URI, query < 0 ? raw : raw.substring(0, query));
        if (uri.getRawQuery() != null) {
            request.setHeader(Exchange.HTTP_QUERY, uri.getRawQuery());
        }
        return request;
    }

    private ProviderException callFailed(String method, URI uri, Exception failure, int attempts) {
        String what = provider + " " + method + " " + safe(uri);
        if (failure instanceof HttpOperationFailedException answered) {
            int status = answered.getStatusCode();
            return ProviderException.unavailable(status, what + " answered " + status + " after " + attempts
                    + " attempts: " + detail(errorResponse(answered)), null);
        }
        if (cause(failure, ProviderHttpClient.BodyTooLargeException.class) != null) {
            return ProviderException.malformed("malformed response from " + provider + ": body exceeds "
                    + MAX_JSON_BYTES + " bytes", null);
        }
        return ProviderException.unavailable(0, what + " failed: " + describe(failure), null);
    }

    private static Response errorResponse(HttpOperationFailedException answered) {
        String body = answered.getResponseBody();
        return new Response(answered.getStatusCode(),
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    private int attempts(Exchange answer) {
        Integer redeliveries = answer.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        return 1 + (redeliveries == null ? 0 : Math.min(redeliveries, settings.maxRetries()));
    }

    // ------------------------------------------------------------------------------------------------- retries

    /**
     * Whether the provider-http route should send a failed call again (its retryWhile): on 408/429/5xx, connection
     * errors, timeouts and broken downloads, while retries are left. Sets the redelivery delay to what Retry-After
     * asked (capped), else leaves it to the route's exponential backoff.
     */
    boolean retryAgain(Exchange exchange) {
        Exception failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message message = exchange.getIn();
        message.removeHeader(Exchange.REDELIVERY_DELAY);
        int redelivery = message.getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class);
        if (!retryable(failure) || redelivery > settings.maxRetries()) {
            return false;
        }
        Optional<Duration> asked = failure instanceof HttpOperationFailedException answered
                ? retryAfter(header(answered.getResponseHeaders(), "Retry-After")) : Optional.empty();
        asked.map(this::capped).ifPresent(wait -> {
            message.setHeader(Exchange.REDELIVERY_DELAY, wait.toMillis());
            retryAfterWaits.accept(wait);
        });
        log.warn("{} {} failed ({}); attempt {}/{}, trying again{}", provider, exchange.getProperty(CALL),
                redact(failure instanceof HttpOperationFailedException answered ? "answered "
                        + answered.getStatusCode() + ": " + detail(errorResponse(answered)) : describe(failure)),
                redelivery, settings.maxRetries() + 1,
                asked.map(wait -> " in " + capped(wait).toMillis() + " ms (Retry-After)").orElse(""));
        return true;
    }

    /**
     * The provider-http routes' redeliveries: up to maxRetries, exponential from initialBackoff, doubling, with
     * jitter (collision avoidance, +-50 %), capped at maxBackoff. Each retry is logged by {@link #retryAgain},
     * redacted, so Camel's own retry log stays off.
     */
    static RedeliveryPolicy redeliveryPolicy(ProviderSettings settings) {
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setMaximumRedeliveries(settings.maxRetries());
        policy.setRedeliveryDelay(Math.max(1, settings.initialBackoff().toMillis()));
        policy.setMaximumRedeliveryDelay(settings.maxBackoff().toMillis());
        policy.setUseExponentialBackOff(true);
        policy.setBackOffMultiplier(2);
        policy.setUseCollisionAvoidance(true);
        policy.setCollisionAvoidanceFactor(0.5);
        policy.setLogRetryAttempted(false);
        policy.setLogExhausted(false);
        policy.setLogStackTrace(false);
        policy.setLogRetryStackTrace(false);
        policy.setLogExhaustedMessageHistory(false);
        return policy;
    }

    private static boolean retryable(Exception failure) {
        if (failure instanceof ProviderException e) {
            return e.retryable();
        }
        if (failure instanceof HttpOperationFailedException answered) {
            return retryableStatus(answered.getStatusCode());
        }
        return failure instanceof IOException && cause(failure, ProviderHttpClient.BodyTooLargeException.class) == null;
    }

    private Duration capped(Duration wait) {
        return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
    }

    static boolean retryableStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** A Retry-After value: seconds or an HTTP date; empty when absent or unreadable. */
    Optional<Duration> retryAfter(String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return Optional.of(settings.maxBackoff());
            }
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    // ------------------------------------------------------------------------------------------------- download

    /**
     * Downloads {@code uri} through {@code direct:<provider>-download-clip} (retried like every call) into a
     * temporary file next to {@code target}, then moves it into place atomically. Refuses bodies longer than
     * {@code maxBytes}, announced or actual; leaves no file behind on failure.
     */
    public Path download(URI uri, Path target, long maxBytes) throws ProviderException {
        Exchange answer = routes.send("direct:" + provider.id() + "-download-clip", exchange -> {
            request(exchange, "download-clip", "GET", uri);
            exchange.setProperty(DOWNLOAD_TARGET, target);
            exchange.setProperty(DOWNLOAD_MAX_BYTES, maxBytes);
        });
        Exception failure = answer.getException();
        if (failure == null) {
            return target;
        }
        if (failure instanceof ProviderException e) {
            throw e;
        }
        if (failure instanceof HttpOperationFailedException answered) {
            throw ProviderException.download(answered.getStatusCode(), "download from " + safe(uri) + " answered "
                    + answered.getStatusCode(), null);
        }
        throw ProviderException.download(0, "download from " + safe(uri) + " failed: " + describe(failure), null);
    }

    /** The download route's last step: streams the answer (a 2xx, or a final refusal) into place. */
    void storeDownload(Exchange exchange) {
        Message answer = exchange.getMessage();
        URI uri = exchange.getProperty(URI_PROPERTY, URI.class);
        Path target = exchange.getProperty(DOWNLOAD_TARGET, Path.class);
        long maxBytes = exchange.getProperty(DOWNLOAD_MAX_BYTES, Long.class);
        int status = answer.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        try (InputStream body = answer.getBody(InputStream.class)) {
            if (status / 100 != 2) {
                throw ProviderException.downloadRefused(status, "download from " + safe(uri) + " answered " + status);
            }
            Long announced = answer.getHeader("Content-Length", Long.class);
            if (announced != null && announced > maxBytes) {
                throw tooLarge(uri, maxBytes);
            }
            store(body, target, maxBytes, announced, uri);
        } catch (IOException e) {
            throw ProviderException.download(0, "download from " + safe(uri) + " failed: " + describe(e), null);
        }
    }

    private void store(InputStream body, Path target, long maxBytes, Long announced, URI uri) throws IOException {
        AtomicFiles.write(target, partial -> {
            long got = 0;
            try (OutputStream out = Files.newOutputStream(partial)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; body != null && (n = body.read(buffer)) >= 0; ) {
                    got += n;
                    if (got > maxBytes) {
                        throw tooLarge(uri, maxBytes);
                    }
                    out.write(buffer, 0, n);
                }
            }
            if (announced != null && announced != got) {
                throw ProviderException.download(200, "download from " + safe(uri) + " was cut short: got " + got
                        + " of " + announced + " bytes", null);
            }
        });
    }

    private static ProviderException tooLarge(URI uri, long maxBytes) {
        return ProviderException.downloadRefused(0, "download from " + safe(uri) + " refused: larger than "
                + maxBytes + " bytes");
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /** Whether {@code uri} has the base URL's scheme, host and port (the only place the token goes). */
    public boolean sameOrigin(URI uri) {
        return sameOrigin(settings.baseUrl(), uri);
    }

    static boolean sameOrigin(URI base, URI uri) {
        return base.getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme()))
                && base.getHost().equalsIgnoreCase(String.valueOf(uri.getHost()))
                && port(base) == port(uri);
    }

    /** A URL the provider told us to follow: https anywhere, or http only to the base URL's host. */
    public URI followable(String url, String what) throws ProviderException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw ProviderException.malformed("malformed response from " + provider + ": " + what
                    + " is not a URL", null);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean ok = uri.getHost() != null && ("https".equals(scheme) || "http".equals(scheme)
                && uri.getHost().equalsIgnoreCase(settings.baseUrl().getHost()));
        if (!ok) {
            throw ProviderException.malformed("malformed response from " + provider + ": refusing to follow "
                    + what + " " + scheme + "://" + uri.getHost() + " (only https, or http to the base host)", null);
        }
        return uri;
    }

    private static int port(URI u) {
        if (u.getPort() != -1) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** scheme://host[:port]/path: no query, no user info. */
    public static String safe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    public JsonNode parse(Response response, String what) throws ProviderException {
        try {
            JsonNode node = mapper.readTree(response.body());
            if (node == null || node.isMissingNode() || !node.isObject()) {
                throw ProviderException.malformed("malformed response from " + provider + " to " + what
                        + ": not a JSON object", null);
            }
            return node;
        } catch (IOException e) {
            throw ProviderException.malformed("malformed response from " + provider + " to " + what
                    + ": invalid JSON", null);
        }
    }

    /** The exception for a final non-2xx answer: input error for 4xx (with the provider's detail). */
    public ProviderException failure(Response response) {
        int s = response.status();
        String message = provider + " refused the request (" + s + "): " + detail(response);
        if (retryableStatus(s)) {
            return ProviderException.unavailable(s, message, null);
        }
        return ProviderException.input(s, message);
    }

    /** The provider's explanation from an error body: detail / title / error / message, else the body's start. */
    public String detail(Response response) {
        String text;
        try {
            JsonNode node = mapper.readTree(response.body());
            text = node == null ? null : detail(node);
        } catch (IOException e) {
            text = null;
        }
        if (text == null || text.isBlank()) {
            text = response.text().strip();
        }
        if (text.isEmpty()) {
            text = "(no detail)";
        }
        return redact(text.length() > MAX_DETAIL_CHARS ? text.substring(0, MAX_DETAIL_CHARS) + "..." : text);
    }

    static String detail(JsonNode node) {
        for (String field : List.of("detail", "error", "message", "title")) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                continue;
            }
            if (v.isTextual()) {
                return v.asText();
            }
            if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                for (JsonNode item : v) {
                    if (item.isTextual()) {
                        parts.add(item.asText());
                    } else if (item.hasNonNull("msg")) {
                        JsonNode loc = item.get("loc");
                        parts.add((loc != null && loc.isArray() ? joinLoc(loc) + ": " : "") + item.get("msg").asText());
                    } else {
                        parts.add(item.toString());
                    }
                }
                return String.join("; ", parts);
            }
            if (v.isObject()) {
                String inner = detail(v);
                return inner != null ? inner : v.toString();
            }
            return v.asText();
        }
        return null;
    }

    private static String joinLoc(JsonNode loc) {
        List<String> parts = new ArrayList<>();
        loc.forEach(p -> parts.add(p.asText()));
        return String.join(".", parts);
    }

    /** Replaces the token wherever it appears. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String token = settings.token();
        return token.isEmpty() ? text : text.replace(token, "***");
    }

    private String describe(Throwable e) {
        SocketTimeoutException timeout = cause(e, SocketTimeoutException.class);
        if (timeout != null) {
            return "timeout (no data for " + settings.readTimeout().toMillis() + " ms)";
        }
        Throwable root = cause(e, ConnectException.class) != null ? cause(e, ConnectException.class) : e;
        String kind = root instanceof ConnectException ? "connection refused or unreachable"
                : root.getClass().getSimpleName();
        return redact(root.getMessage() == null ? kind : kind + " (" + root.getMessage() + ")");
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
