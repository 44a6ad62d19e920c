package dev.reelroute.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.job.DatabaseOutage;
import dev.reelroute.media.FfmpegUnavailableException;
import dev.reelroute.provider.ModelRefusedException;
import dev.reelroute.storage.DiskFull;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns whatever a surface route threw into the surface's error body and status code. Client errors carry
 * their own message; anything else is a 500 whose details stay in the log, never in the answer.
 */
@Component("apiErrors")
public class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
    private static final ObjectMapper DETAIL_JSON = new ObjectMapper();
    public static final String SERVER_ERROR = "Server error. Retry with exponential backoff.";
    static final String FFMPEG_UNAVAILABLE = "FFmpeg is unavailable on this server, so it takes no video work "
            + "now; nothing was stored. Retry later.";
    static final String DATABASE_UNAVAILABLE = "The database is unavailable, so the service takes no work now; "
            + "nothing was stored. Retry with exponential backoff.";
    static final String DISK_FULL = DiskFull.MESSAGE + ", so the service takes no uploads now; nothing was stored. "
            + "Retry with exponential backoff.";

    /** The jobs and generate APIs: {@code {"error": "..."}}, with the generate API's {@code details} for fields. */
    public void respond(Exchange exchange) {
        ApiException error = asApiException(exchange);
        if (error.detail() instanceof java.util.List<?> details) {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("error", error.getMessage());
            body.put("details", details);
            answer(exchange, error.getStatus(), write(body));
        } else {
            answer(exchange, error.getStatus(), ErrorBodies.json(error.getMessage()));
        }
    }

    /** The video jobs API: {@code {"detail": "..."}}, or the detail object an error carries (the 402 body). */
    public void respondDetail(Exchange exchange) {
        ApiException error = asApiException(exchange);
        answer(exchange, error.getStatus(), write(Map.of("detail", error.detail())));
    }

    private static String write(Object body) {
        try {
            return DETAIL_JSON.writeValueAsString(body);
        } catch (JsonProcessingException unwritable) {
            throw new IllegalStateException(unwritable);
        }
    }

    /** The style API: the envelope, {@code {"success": false, "error": {"code", "message"}}}. */
    public void respondEnvelope(Exchange exchange) {
        ApiException error = asApiException(exchange);
        answer(exchange, error.getStatus(), write(Envelopes.error(error.code(), error.getMessage())));
    }

    private ApiException asApiException(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiException known = clientFacing(cause);
        if (known != null) {
            return known;
        }
        log.error("Request failed on route {}", exchange.getFromRouteId(), cause);
        return new ApiException(500, SERVER_ERROR);
    }

    /** The answer a client gets for a failure it should see, or null for one that is a plain server error. */
    public static ApiException clientFacing(Throwable cause) {
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause instanceof ModelRefusedException refused) {
            return ApiException.badRequest(refused.getMessage());
        }
        if (cause instanceof FfmpegUnavailableException) {
            // the cause (paths, the machine's setup) is for the operator: readiness and the log name it
            return new ApiException(503, FFMPEG_UNAVAILABLE);
        }
        if (DatabaseOutage.isCause(cause)) {
            // the cause (host, driver state) is for the operator: readiness and the log name it
            return new ApiException(503, DATABASE_UNAVAILABLE);
        }
        if (DiskFull.isCause(cause)) {
            // like an outage: nothing the client did, and over once the operator (or a finished job) frees space
            return new ApiException(503, DISK_FULL);
        }
        return null;
    }

    private static void answer(Exchange exchange, int status, String body) {
        var response = exchange.getMessage();
        response.removeHeaders("*");
        response.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        response.setHeader(Exchange.CONTENT_TYPE, "application/json");
        response.setBody(body);
    }
}
