package dev.reelroute.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a path with a {@code .} or {@code ..} segment (plain or percent-encoded) with a 400 in the surface's error
 * body. Tomcat resolves such segments for the filters ({@code /api/status/..} is {@code /api/} to them, outside
 * every authenticated surface), while the routes match the path as sent ({@code /api/status/{jobId}} with jobId
 * {@code ..}): the two must never disagree about which resource is asked for. First of the filters.
 */
public class DotSegmentsFilter extends OncePerRequestFilter {
    static final String DOT_SEGMENT = "A path must not contain '.' or '..' segments";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String raw = request.getRequestURI();
        if (raw != null && hasDotSegment(raw)) {
            ErrorBodies.write(raw, response, 400, DOT_SEGMENT);
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean hasDotSegment(String rawPath) {
        for (String segment : rawPath.split("/", -1)) {
            int parameters = segment.indexOf(';');
            String name = parameters >= 0 ? segment.substring(0, parameters) : segment;
            if (name.indexOf('.') < 0 && name.indexOf('%') < 0) {
                continue;
            }
            String decoded;
            try {
                decoded = URLDecoder.decode(name.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                continue;
            }
            if (decoded.equals(".") || decoded.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
