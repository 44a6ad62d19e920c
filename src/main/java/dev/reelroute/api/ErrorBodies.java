package dev.reelroute.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/** The error body of the jobs API: {@code {"error": "..."}}. */
public final class ErrorBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorBodies() {}

    public static String json(String message) {
        try {
            return JSON.writeValueAsString(Map.of("error", message));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the error body directly to a servlet response (filters and MVC advice). */
    public static void write(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json(message));
    }
}
