package dev.reelroute.web;

import jakarta.servlet.http.HttpServletRequest;

/** The {@code Authorization: Bearer} scheme (RFC 6750): reading the token and the challenge of a 401. */
final class BearerAuth {
    static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    private static final String SCHEME = "Bearer";

    private BearerAuth() {}

    /** The token of an {@code Authorization: Bearer} header ("" for a bare "Bearer"); null for no or another scheme. */
    static String token(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        if (value.equalsIgnoreCase(SCHEME)) {
            return "";
        }
        // the scheme name is case-insensitive (RFC 9110 §11.1)
        return value.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)
                ? value.substring(SCHEME.length() + 1).strip()
                : null;
    }

    /** A challenge; {@code error} is null when no credential was sent (RFC 6750 §3: then no error code). */
    static String challenge(String error) {
        return error == null ? SCHEME + " realm=\"reelroute\"" : SCHEME + " realm=\"reelroute\", error=\"" + error + "\"";
    }
}
