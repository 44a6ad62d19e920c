package dev.reelroute.security;

import dev.reelroute.api.ErrorBodies;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * X-API-Key on every /api/ request. Runs as a servlet filter, before the multipart body is parsed, so an
 * unauthenticated upload is refused without being read.
 */
public class ApiKeyAuthFilter extends OncePerRequestFilter {
    public static final String HEADER = "X-API-Key";
    static final String MISSING = "Missing X-API-Key header";
    static final String NOT_RECOGNIZED = "API key not recognized or has been deactivated";
    private static final int MAX_KEY_LENGTH = 200;

    private final AccountStore accounts;

    public ApiKeyAuthFilter(AccountStore accounts) {
        this.accounts = accounts;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // a run's progress is read with its public access token instead (RunAccess)
        return !RequestPaths.isUnder(request, "/api/") || RequestPaths.isUnder(request, "/api/runs/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (key == null || key.isBlank()) {
            ErrorBodies.write(response, 401, MISSING);
            return;
        }
        Optional<AccountStore.KeyRecord> record = key.length() > MAX_KEY_LENGTH
                ? Optional.empty()
                : accounts.findKey(key.strip());
        if (record.isEmpty() || !record.get().active()) {
            ErrorBodies.write(response, 401, NOT_RECOGNIZED);
            return;
        }
        request.setAttribute(ApiPrincipal.REQUEST_ATTRIBUTE,
                new ApiPrincipal(record.get().accountId(), record.get().id()));
        chain.doFilter(request, response);
    }
}
