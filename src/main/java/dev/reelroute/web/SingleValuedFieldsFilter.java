package dev.reelroute.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.multipart.MultipartResolver;

/**
 * Every query parameter and multipart field of the API surfaces takes one value; one that arrives twice (two
 * {@code webhookUrl} parts, a parameter both in the query and in the body) is a 400 naming it, in the surface's
 * error body. Left alone, platform-http joins the values with a comma ({@code https://a/x,https://b/y}). The one
 * field that repeats by design is a file field: {@value #REFERENCE_IMAGES}. Runs after {@link MultipartBodyFilter},
 * which has read the parts already.
 */
public class SingleValuedFieldsFilter extends OncePerRequestFilter {
    static final String REFERENCE_IMAGES = "referenceImages";
    private static final Set<String> REPEATABLE_FILE_FIELDS = Set.of(REFERENCE_IMAGES);

    private final MultipartResolver multipart;

    public SingleValuedFieldsFilter(MultipartResolver multipart) {
        this.multipart = multipart;
    }

    public static String repeated(String field) {
        return field + " was sent more than once: it takes one value";
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RequestPaths.isUnder(request, "/api/") && !RequestPaths.isUnder(request, "/admin/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (!pair.isEmpty()) {
                    counts.merge(decoded(pair.split("=", 2)[0]), 1, Integer::sum);
                }
            }
        }
        if (multipart.isMultipart(request)) {
            for (Part part : request.getParts()) {
                if (part.getSubmittedFileName() == null || !REPEATABLE_FILE_FIELDS.contains(part.getName())) {
                    counts.merge(part.getName(), 1, Integer::sum);
                }
            }
        }
        for (Map.Entry<String, Integer> field : counts.entrySet()) {
            if (field.getValue() > 1) {
                ErrorBodies.write(request, response, 400, repeated(field.getKey()));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static String decoded(String name) {
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return name;
        }
    }
}
