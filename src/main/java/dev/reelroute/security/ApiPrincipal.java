package dev.reelroute.security;

import dev.reelroute.web.ApiAuthFilter;
import java.util.Objects;

/**
 * Who is calling: the account, and the API key used, which is null when the caller authenticated with a JWT
 * (a JWT names an account, not one of its keys). Limits kept per key, like the jobs API's one active job per key,
 * apply only to {@link #hasApiKey() key callers}; surfaces that need them refuse JWTs in {@link ApiAuthFilter}.
 */
public record ApiPrincipal(String accountId, String apiKeyId) {
    public static final String REQUEST_ATTRIBUTE = ApiPrincipal.class.getName();

    public ApiPrincipal {
        Objects.requireNonNull(accountId, "accountId");
    }

    public static ApiPrincipal ofApiKey(String accountId, String apiKeyId) {
        return new ApiPrincipal(accountId, Objects.requireNonNull(apiKeyId, "apiKeyId"));
    }

    public static ApiPrincipal ofJwt(String accountId) {
        return new ApiPrincipal(accountId, null);
    }

    /** True for an API key caller (X-API-Key or a Bearer API key), false for a JWT caller. */
    public boolean hasApiKey() {
        return apiKeyId != null;
    }
}
