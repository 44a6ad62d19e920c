package dev.reelroute.web;

/** An error a client caused or should see: the status code and the message of the surface's error body. */
public class ApiException extends RuntimeException {
    private final int status;
    private final transient Object detail;
    private String code;

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    /** {@code detail} replaces the message where the error body can carry an object (the video jobs API's 402). */
    public ApiException(int status, String message, Object detail) {
        super(message);
        this.status = status;
        this.detail = detail;
    }

    public Object detail() {
        return detail == null ? getMessage() : detail;
    }

    /** A machine-readable code for surfaces whose error body carries one (the style API's envelope). */
    public ApiException withCode(String errorCode) {
        this.code = errorCode;
        return this;
    }

    public String code() {
        return code != null ? code : Envelopes.codeFor(status);
    }

    public int getStatus() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, message);
    }
}
