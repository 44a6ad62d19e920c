package dev.reelroute.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The style-transfer API's one response envelope: {@code success}, {@code data}, {@code error} with a
 * code and a message, and pagination {@code meta} on lists.
 */
public final class Envelopes {
    private Envelopes() {}

    public static Map<String, Object> ok(Object data) {
        return envelope(true, data, null, null);
    }

    public static Map<String, Object> page(Object data, Map<String, Object> meta) {
        return envelope(true, data, null, meta);
    }

    public static Map<String, Object> error(String code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        return envelope(false, null, error, null);
    }

    /** The machine-readable code of an error with this status, when the error names none of its own. */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "VALIDATION_ERROR";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 408 -> "REQUEST_TIMEOUT";
            case 409 -> "CONFLICT";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case 422 -> "INVALID_VIDEO";
            case 429 -> "RATE_LIMITED";
            case 503 -> "SERVICE_UNAVAILABLE";
            default -> status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST";
        };
    }

    private static Map<String, Object> envelope(boolean success, Object data, Object error, Map<String, Object> meta) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", success);
        body.put("data", data);
        body.put("error", error);
        body.put("meta", meta);
        return body;
    }
}
