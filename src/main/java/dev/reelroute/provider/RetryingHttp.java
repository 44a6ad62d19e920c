package dev.reelroute.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP plumbing both adapters share. {@link #exchange} sends a request and retries, with exponential backoff
 * and jitter, on 408/429/5xx, connection errors and timeouts, honouring {@code Retry-After} (seconds or an HTTP
 * date) capped by {@link ProviderSettings#maxBackoff()}; other 4xx are returned at once. JSON bodies are read up
 * to {@link #MAX_JSON_BYTES}. The token is put in the Authorization header, and only for URLs with the base URL's
 * origin; it is redacted from every message this class produces or passes on.
 */
public final class RetryingHttp {
    public static final int MAX_JSON_BYTES = 1 << 20;
    private static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
    private static final int MAX_DETAIL_CHARS = 500;
    private static final Logger log = LoggerFactory.getLogger(RetryingHttp.class);

    /** A final (non-retried) answer: 2xx, or a 4xx the provider will answer the same way again. */
    public record Response(int status, HttpHeaders headers, byte[] body) {
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

    /** How to wait between attempts; tests substitute a recording one. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final String provider;
    private final ProviderSettings settings;
    private final String authorization;
    private final HttpClient client;
    private final Sleeper sleeper;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final ProviderCallObserver calls;

    /**
     * @param provider   the provider's name, for messages
     * @param authScheme {@code Bearer}, {@code Key}, ...: the header is {@code authScheme + " " + token}
     */
    public RetryingHttp(String provider, ProviderSettings settings, String authScheme, ObjectMapper mapper) {
        this(provider, settings, authScheme, mapper, ProviderCallObserver.NONE);
    }

    public RetryingHttp(String provider, ProviderSettings settings, String authScheme, ObjectMapper mapper,
                        ProviderCallObserver calls) {
        this(provider, settings, authScheme, mapper, d -> Thread.sleep(d.toMillis()), Clock.systemUTC(), calls);
    }

    public RetryingHttp(String provider, ProviderSettings settings, String authScheme, ObjectMapper mapper,
                        Sleeper sleeper, Clock clock) {
        this(provider, settings, authScheme, mapper, sleeper, clock, ProviderCallObserver.NONE);
    }

    public RetryingHttp(String provider, ProviderSettings settings, String authScheme, ObjectMapper mapper,
                        Sleeper sleeper, Clock clock, ProviderCallObserver calls) {
        this.calls = calls;
        this.provider = provider;
        this.settings = settings;
        this.authorization = authScheme + " " + settings.token();
        this.mapper = mapper;
        this.sleeper = sleeper;
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
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

    /** Sends a JSON request with retries; returns the 2xx body parsed, or throws (4xx: input error). */
    public JsonNode sendJson(String method, URI uri, Object jsonBody) throws ProviderException {
        Response response = exchange(method, uri, jsonBody);
        if (!response.ok()) {
            throw failure(response);
        }
        return parse(response, method + " " + safe(uri));
    }

    /**
     * Sends with retries and returns the final response: 2xx, or a status that retrying cannot change (any other
     * 4xx, 3xx). Throws {@link ProviderException} (unavailable) once the retries are used up.
     */
    public Response exchange(String method, URI uri, Object jsonBody) throws ProviderException {
        byte[] body;
        try {
            body = jsonBody == null ? null : mapper.writeValueAsBytes(jsonBody);
        } catch (IOException e) {
            throw new IllegalArgumentException("request body is not serializable as JSON", e);
        }
        int attempts = settings.maxRetries() + 1;
        for (int attempt = 1; ; attempt++) {
            HttpRequest request = request(method, uri, body);
            Response response;
            try {
                response = once(request);
            } catch (ProviderException e) {
                if (!e.retryable() || attempt >= attempts) {
                    throw e;
                }
                Duration wait = backoff(attempt, Optional.empty());
                log.warn("{} {} {} failed ({}); attempt {}/{}, retrying in {} ms", provider, method, safe(uri),
                        e.getMessage(), attempt, attempts, wait.toMillis());
                pause(wait);
                continue;
            }
            if (!retryableStatus(response.status())) {
                return response;
            }
            if (attempt >= attempts) {
                throw ProviderException.unavailable(response.status(), provider + " " + method + " " + safe(uri)
                        + " answered " + response.status() + " after " + attempts + " attempts: "
                        + detail(response), null);
            }
            Duration wait = backoff(attempt, retryAfter(response.headers()));
            log.warn("{} {} {} answered {}; attempt {}/{}, retrying in {} ms", provider, method, safe(uri),
                    response.status(), attempt, attempts, wait.toMillis());
            pause(wait);
        }
    }

    private HttpRequest request(String method, URI uri, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(settings.readTimeout())
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (sameOrigin(uri)) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    private Response once(HttpRequest request) {
        HttpResponse<BoundedBodySubscriber.Body> r = await(request,
                info -> BoundedBodySubscriber.toMemory(
                        info.statusCode() / 100 == 2 ? MAX_JSON_BYTES : MAX_ERROR_BODY_BYTES),
                e -> e instanceof BoundedBodySubscriber.TooLargeException tl
                        ? ProviderException.malformed("malformed response from " + provider + ": body exceeds "
                        + tl.limit + " bytes", null)
                        : ProviderException.unavailable(0, provider + " " + request.method() + " "
                        + safe(request.uri()) + " failed: " + describe(e), e));
        return new Response(r.statusCode(), r.headers(), r.body().bytes());
    }

    /**
     * Sends and waits: the headers within the request timeout, then the body with at most readTimeout between
     * two chunks. Failures are mapped by {@code onFailure}.
     */
    private HttpResponse<BoundedBodySubscriber.Body> await(
            HttpRequest request,
            java.util.function.Function<HttpResponse.ResponseInfo, BoundedBodySubscriber> subscribers,
            java.util.function.Function<Throwable, ProviderException> onFailure) {
        long started = System.nanoTime();
        try {
            HttpResponse<BoundedBodySubscriber.Body> response = awaitUntimed(request, subscribers, onFailure);
            calls.called(provider, request.method(), (response.statusCode() / 100) + "xx",
                    System.nanoTime() - started);
            return response;
        } catch (RuntimeException e) {
            calls.called(provider, request.method(), "error", System.nanoTime() - started);
            throw e;
        }
    }

    private HttpResponse<BoundedBodySubscriber.Body> awaitUntimed(
            HttpRequest request,
            java.util.function.Function<HttpResponse.ResponseInfo, BoundedBodySubscriber> subscribers,
            java.util.function.Function<Throwable, ProviderException> onFailure) {
        AtomicReference<BoundedBodySubscriber> current = new AtomicReference<>();
        CompletableFuture<HttpResponse<BoundedBodySubscriber.Body>> future = client.sendAsync(request, info -> {
            BoundedBodySubscriber s = subscribers.apply(info);
            current.set(s);
            return s;
        });
        long idleLimit = settings.readTimeout().toNanos();
        long tick = Math.max(5, Math.min(settings.readTimeout().toMillis() / 4, 1000));
        while (true) {
            try {
                return future.get(tick, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                BoundedBodySubscriber s = current.get();
                if (s != null && s.idleNanos() > idleLimit) {
                    s.abort(new HttpTimeoutException("no body data for " + settings.readTimeout().toMillis()
                            + " ms"));
                }
            } catch (InterruptedException e) {
                future.cancel(true);
                BoundedBodySubscriber s = current.get();
                if (s != null) {
                    s.abort(e);
                }
                Thread.currentThread().interrupt();
                throw ProviderException.unavailable(0, provider + " call interrupted", null);
            } catch (ExecutionException | CancellationException e) {
                Throwable cause = e instanceof ExecutionException ? rootCause(e.getCause()) : e;
                throw onFailure.apply(cause);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- download

    /**
     * Streams {@code uri} (no Authorization header unless it is the provider's own origin) into a temporary file
     * next to {@code target}, then moves it into place atomically. One attempt: the caller retries. Refuses
     * bodies longer than {@code maxBytes}, announced or actual; leaves no file behind on failure.
     */
    public Path download(URI uri, Path target, long maxBytes) throws ProviderException {
        Path dir = target.toAbsolutePath().getParent();
        Path temp;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".part");
        } catch (IOException e) {
            throw ProviderException.download(0, "cannot create a temporary file in " + dir + ": " + describe(e), e);
        }
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(settings.readTimeout()).GET();
            if (sameOrigin(uri)) {
                b.header("Authorization", authorization);
            }
            HttpResponse<BoundedBodySubscriber.Body> r = await(b.build(), info -> {
                if (info.statusCode() / 100 != 2) {
                    return BoundedBodySubscriber.toMemory(MAX_ERROR_BODY_BYTES);
                }
                OptionalLong announced = info.headers().firstValueAsLong("Content-Length");
                if (announced.isPresent() && announced.getAsLong() > maxBytes) {
                    BoundedBodySubscriber refuse = BoundedBodySubscriber.toMemory(0);
                    refuse.abort(new BoundedBodySubscriber.TooLargeException(maxBytes));
                    return refuse;
                }
                try {
                    return BoundedBodySubscriber.toFile(temp, maxBytes);
                } catch (IOException e) {
                    BoundedBodySubscriber failed = BoundedBodySubscriber.toMemory(0);
                    failed.abort(e);
                    return failed;
                }
            }, e -> e instanceof BoundedBodySubscriber.TooLargeException
                    ? ProviderException.downloadRefused(0, "download from " + safe(uri) + " refused: larger than "
                    + maxBytes + " bytes")
                    : ProviderException.download(0, "download from " + safe(uri) + " failed: " + describe(e), e));
            int status = r.statusCode();
            if (status / 100 != 2) {
                String message = "download from " + safe(uri) + " answered " + status;
                throw retryableStatus(status)
                        ? ProviderException.download(status, message, null)
                        : ProviderException.downloadRefused(status, message);
            }
            OptionalLong announced = r.headers().firstValueAsLong("Content-Length");
            long got = r.body().length();
            if (announced.isPresent() && announced.getAsLong() != got) {
                throw ProviderException.download(status, "download from " + safe(uri) + " was cut short: got "
                        + got + " of " + announced.getAsLong() + " bytes", null);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw ProviderException.download(0, "cannot store download at " + target + ": " + describe(e), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                log.warn("could not delete temporary download {}", temp);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    static boolean retryableStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** Backoff before attempt {@code attempt + 1}: Retry-After when given, else exponential with equal jitter. */
    Duration backoff(int attempt, Optional<Duration> retryAfter) {
        Duration max = settings.maxBackoff();
        if (retryAfter.isPresent()) {
            Duration ra = retryAfter.get();
            return ra.compareTo(max) > 0 ? max : ra;
        }
        long initial = Math.max(1, settings.initialBackoff().toMillis());
        long exp = initial << Math.min(attempt - 1, 20);
        long capped = Math.min(exp, max.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
    }

    Optional<Duration> retryAfter(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::strip);
        if (value.isEmpty() || value.get().isEmpty()) {
            return Optional.empty();
        }
        String v = value.get();
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

    private void pause(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProviderException.unavailable(0, provider + " call interrupted while backing off", null);
        }
    }

    /** Whether {@code uri} has the base URL's scheme, host and port (the only place the token goes). */
    public boolean sameOrigin(URI uri) {
        URI base = settings.baseUrl();
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
        String kind = e instanceof HttpTimeoutException ? "timeout"
                : e instanceof ConnectException ? "connection refused or unreachable"
                : e.getClass().getSimpleName();
        return redact(e.getMessage() == null ? kind : kind + " (" + e.getMessage() + ")");
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
