package dev.reelroute.web;

import dev.reelroute.security.AccountStore;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.security.JwtVerifier;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every /api/ request with one credential, before the multipart body is parsed, so an
 * unauthenticated upload is refused without being read:
 * <ul>
 *   <li>{@code X-API-Key: <key>};</li>
 *   <li>{@code Authorization: Bearer <key>}: the same key lookup;</li>
 *   <li>{@code Authorization: Bearer <HS256 JWT>} whose {@code sub} is an account id ({@link JwtVerifier}). A
 *       token with a dot in it is taken for a JWT: generated keys ("rr_" + base64url) have none.</li>
 * </ul>
 * A refusal is a 401 (400 for two credentials at once) in the surface's error body with a Bearer challenge. Its
 * message tells a missing credential from a wrong one, never whether an account exists; why a JWT was refused
 * goes to the debug log only. Tokens and keys are never logged.
 */
public class ApiAuthFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(ApiAuthFilter.class);

    public static final String API_KEY_HEADER = "X-API-Key";
    public static final String MISSING = "Missing X-API-Key header or Authorization: Bearer token";
    static final String NOT_BEARER = "Unsupported Authorization scheme: send Authorization: Bearer <token>";
    static final String TWO_CREDENTIALS = "Send one credential: X-API-Key or Authorization: Bearer, not both";
    public static final String KEY_NOT_RECOGNIZED = "API key not recognized or has been deactivated";
    static final String TOKEN_REFUSED = "Invalid or expired token";
    static final String JWT_DISABLED = "This server does not accept JWTs; authenticate with an API key";
    static final String API_KEY_REQUIRED =
            "This API takes an API key (X-API-Key or Authorization: Bearer <API key>), not a JWT";
    /** The jobs API limits active jobs per API key; a JWT caller has none, so it is refused there. */
    private static final List<String> API_KEY_ONLY_SURFACES = List.of("/api/jobs", "/api/status");

    private final AccountStore accounts;
    private final JwtVerifier jwts;

    public ApiAuthFilter(AccountStore accounts, JwtVerifier jwts) {
        this.accounts = accounts;
        this.jwts = jwts;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // a run's progress is read with its public access token instead (RunAccess)
        return !RequestPaths.isUnder(request, "/api/") || RequestPaths.isUnder(request, "/api/runs/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ApiPrincipal principal;
        try {
            principal = authenticate(request);
        } catch (Refused refused) {
            response.setHeader(BearerAuth.WWW_AUTHENTICATE, BearerAuth.challenge(refused.error));
            ErrorBodies.write(request, response, refused.status, refused.getMessage());
            return;
        } catch (RuntimeException failed) {
            // the key or account lookup needs the database: while it is out of reach the caller gets a 503
            ApiException known = ApiErrors.clientFacing(failed);
            if (known == null) {
                throw failed;
            }
            log.warn("Could not authenticate a request: {}", failed.getMessage());
            ErrorBodies.write(request, response, known.getStatus(), known.getMessage());
            return;
        }
        request.setAttribute(ApiPrincipal.REQUEST_ATTRIBUTE, principal);
        chain.doFilter(request, response);
    }

    private ApiPrincipal authenticate(HttpServletRequest request) throws Refused {
        String apiKey = request.getHeader(API_KEY_HEADER);
        boolean apiKeySent = apiKey != null && !apiKey.isBlank();
        String bearer = BearerAuth.token(request);
        if (apiKeySent && bearer != null) {
            throw new Refused(400, "invalid_request", TWO_CREDENTIALS);
        }
        if (apiKeySent) {
            return byApiKey(apiKey);
        }
        if (bearer == null || bearer.isEmpty()) {
            boolean otherScheme = bearer == null && request.getHeader("Authorization") != null;
            throw new Refused(401, null, otherScheme ? NOT_BEARER : MISSING);
        }
        return bearer.indexOf('.') >= 0 ? byJwt(bearer, request) : byApiKey(bearer);
    }

    private ApiPrincipal byApiKey(String key) throws Refused {
        return accounts.principalForKey(key).orElseThrow(() -> Refused.invalidToken(KEY_NOT_RECOGNIZED));
    }

    private ApiPrincipal byJwt(String token, HttpServletRequest request) throws Refused {
        if (!jwts.enabled()) {
            throw Refused.invalidToken(JWT_DISABLED);
        }
        String accountId;
        try {
            accountId = jwts.subjectOf(token);
        } catch (JwtVerifier.InvalidTokenException e) {
            log.debug("Refused a JWT: {}", e.getMessage());
            throw Refused.invalidToken(TOKEN_REFUSED);
        }
        if (accounts.findAccount(accountId).isEmpty()) {
            // same answer as a bad signature: the reply must not tell which account ids exist
            log.debug("Refused a JWT: its sub names no account");
            throw Refused.invalidToken(TOKEN_REFUSED);
        }
        if (takesApiKeysOnly(RequestPaths.of(request))) {
            throw Refused.invalidToken(API_KEY_REQUIRED);
        }
        return ApiPrincipal.ofJwt(accountId);
    }

    /** True for a path (of a request, or a template of the API documents) where a JWT is refused. */
    public static boolean takesApiKeysOnly(String path) {
        return API_KEY_ONLY_SURFACES.stream().anyMatch(surface -> RequestPaths.isWithin(path, surface));
    }

    /** A refusal: the status, the RFC 6750 error code of the challenge (null: none) and the client's message. */
    private static final class Refused extends Exception {
        final int status;
        final String error;

        Refused(int status, String error, String message) {
            super(message, null, false, false);
            this.status = status;
            this.error = error;
        }

        static Refused invalidToken(String message) {
            return new Refused(401, "invalid_token", message);
        }
    }
}
