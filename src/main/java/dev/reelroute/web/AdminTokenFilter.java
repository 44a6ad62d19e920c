package dev.reelroute.web;

import dev.reelroute.security.Secrets;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/** /admin/ requires {@code Authorization: Bearer $REELROUTE_ADMIN_TOKEN}; with no token configured it is off. */
public class AdminTokenFilter extends OncePerRequestFilter {
    private final String adminToken;

    public AdminTokenFilter(String adminToken) {
        this.adminToken = adminToken == null || adminToken.isBlank() ? null : adminToken;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RequestPaths.isUnder(request, "/admin/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (adminToken == null) {
            ErrorBodies.write(request, response, 403,
                    "The admin API is disabled: set REELROUTE_ADMIN_TOKEN to enable it");
            return;
        }
        String given = BearerAuth.token(request);
        if (!Secrets.constantTimeEquals(adminToken, given)) {
            response.setHeader(BearerAuth.WWW_AUTHENTICATE,
                    BearerAuth.challenge(given == null || given.isEmpty() ? null : "invalid_token"));
            ErrorBodies.write(request, response, 401, "Missing or wrong admin token");
            return;
        }
        chain.doFilter(request, response);
    }
}
