package dev.reelroute.security;

/** Who is calling: the account and the API key used. */
public record ApiPrincipal(String accountId, String apiKeyId) {
    public static final String REQUEST_ATTRIBUTE = ApiPrincipal.class.getName();
}
