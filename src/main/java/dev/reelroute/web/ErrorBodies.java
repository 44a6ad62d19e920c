package dev.reelroute.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Error bodies, by surface: {@code {"detail": "..."}} for /api/v1/video-jobs, the envelope for /api/v1/videos and
 * /api/v1/jobs, {@code {"error": "..."}} everywhere else (the video projects, jobs and generate APIs, /admin). Code
 * that answers outside a surface's own routes (servlet filters, MVC advice) goes through
 * {@link #write(HttpServletRequest, HttpServletResponse, int, String)}, which picks the body from the request path.
 */
public final class ErrorBodies {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Surfaces whose documents answer errors as {@code {"detail": ...}}. */
    private static final String[] DETAIL_SURFACES = {"/api/v1/video-jobs"};
    /** Surfaces whose document wraps every answer in the envelope of {@link Envelopes}. */
    private static final String[] ENVELOPE_SURFACES = {"/api/v1/videos", "/api/v1/jobs"};

    private ErrorBodies() {}

    /** {@code {"error": message}}: the jobs, projects and generate APIs. */
    public static String json(String message) {
        return body("error", message);
    }

    /** {@code {"detail": message}}: the /api/v1/video-jobs API. */
    public static String detailJson(String message) {
        return body("detail", message);
    }

    /** The error body of the surface that serves {@code path}. */
    public static String jsonFor(String path, String message) {
        return jsonFor(path, 400, message);
    }

    /** The error body of the surface that serves {@code path}, for an answer with {@code status}. */
    public static String jsonFor(String path, int status, String message) {
        for (String surface : ENVELOPE_SURFACES) {
            if (RequestPaths.isWithin(path, surface)) {
                return write(Envelopes.error(Envelopes.codeFor(status), message));
            }
        }
        for (String surface : DETAIL_SURFACES) {
            if (RequestPaths.isWithin(path, surface)) {
                return detailJson(message);
            }
        }
        return json(message);
    }

    /** Writes the error body of the request's surface directly to the servlet response (filters and MVC advice). */
    public static void write(HttpServletRequest request, HttpServletResponse response, int status, String message)
            throws IOException {
        write(RequestPaths.of(request), response, status, message);
    }

    /** Writes the error body of the surface that serves {@code path}: for an error page, whose own path is another. */
    public static void write(String path, HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(jsonFor(path, status, message));
    }

    private static String body(String field, String message) {
        return write(Map.of(field, message));
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
