package dev.reelroute.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.proc.SingleKeyJWSKeySelector;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.reelroute.config.ReelrouteProperties;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies HS256 JWTs signed with the shared secret {@code reelroute.jwt.secret} and returns their subject (an
 * account id). Parsing, the algorithm check and the constant-time signature check are nimbus-jose-jwt's
 * {@link DefaultJWTProcessor}; this class only sets its rules:
 * <ul>
 *   <li>HS256 only: {@code alg: none}, other HMAC sizes and every asymmetric or encrypted form are refused;</li>
 *   <li>{@code sub} is required; {@code exp} is required unless {@code reelroute.jwt.require-expiry} is false;</li>
 *   <li>{@code exp}, {@code nbf} and {@code iat} (not in the future) are checked with {@code clock-skew} leeway;</li>
 *   <li>{@code iss} and {@code aud} must match {@code reelroute.jwt.issuer} / {@code audience} when those are set;</li>
 *   <li>each of the three segments is canonical unpadded base64url (RFC 7515 §2): no {@code =}, no character
 *       outside {@code A-Z a-z 0-9 - _}, no spare bits set. nimbus' decoder is lenient and would otherwise accept
 *       more than one spelling of the same token.</li>
 * </ul>
 * The secret is used as its UTF-8 bytes (as PyJWT, jsonwebtoken and jjwt do with a string secret). Neither the
 * secret nor a token is ever logged or put in an exception message.
 */
public final class JwtVerifier {
    /** HS256 keys shorter than the hash output (RFC 7518 §3.2) are refused. */
    public static final int MIN_SECRET_BYTES = 32;
    /** Far above any honest token, low enough that a parse of hostile input stays cheap. */
    public static final int MAX_TOKEN_LENGTH = 4096;

    private final DefaultJWTProcessor<SecurityContext> processor;

    /** Why a token was refused: safe to log (never contains the token), never shown to the client. */
    public static final class InvalidTokenException extends Exception {
        InvalidTokenException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** @throws IllegalStateException when a secret is set but is too short for HS256 (fails the start-up) */
    public JwtVerifier(ReelrouteProperties.Jwt settings, Clock clock) {
        String secret = settings == null ? null : settings.secret();
        if (secret == null || secret.isEmpty()) {
            processor = null;
            return;
        }
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("reelroute.jwt.secret (REELROUTE_JWT_SECRET) must be at least "
                    + MIN_SECRET_BYTES + " bytes for HS256, e.g. the output of `openssl rand -base64 48`;"
                    + " leave it empty to refuse JWTs");
        }
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new SingleKeyJWSKeySelector<>(JWSAlgorithm.HS256,
                new SecretKeySpec(key, "HmacSHA256")));
        processor.setJWTClaimsSetVerifier(new ClaimRules(settings, clock));
    }

    /** False when no secret is configured: every JWT is then refused. */
    public boolean enabled() {
        return processor != null;
    }

    /** The verified token's {@code sub}, which names an account id. */
    public String subjectOf(String token) throws InvalidTokenException {
        if (processor == null) {
            throw new InvalidTokenException("JWTs are disabled: no secret is configured");
        }
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("token missing or longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        if (!isCompactBase64Url(token)) {
            throw new InvalidTokenException("malformed token: each segment must be unpadded base64url");
        }
        try {
            return processor.process(token, null).getSubject();
        } catch (ParseException e) {
            throw new InvalidTokenException("malformed token");
        } catch (BadJOSEException | JOSEException e) {
            // nimbus' messages name the failed rule and at most claim values of a correctly signed token
            throw new InvalidTokenException(e.getMessage());
        } catch (RuntimeException e) {
            // hostile input must end in a 401, never a 500
            throw new InvalidTokenException("unreadable token (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** nimbus' claim checks on our clock, plus {@code iat} not in the future. */
    private static final class ClaimRules extends DefaultJWTClaimsVerifier<SecurityContext> {
        private final Clock clock;
        private final long skewMillis;

        ClaimRules(ReelrouteProperties.Jwt settings, Clock clock) {
            super(acceptedAudience(settings), exactMatches(settings), requiredClaims(settings), null);
            this.clock = clock;
            Duration skew = settings.clockSkew() == null ? Duration.ofSeconds(60) : settings.clockSkew();
            this.skewMillis = skew.toMillis();
            setMaxClockSkew(Math.toIntExact(skew.toSeconds()));
        }

        /** null accepts any (or no) {@code aud}; a set makes {@code aud} required and one of its values. */
        private static Set<String> acceptedAudience(ReelrouteProperties.Jwt settings) {
            String audience = blankToNull(settings.audience());
            // nimbus asks the set whether it contains null, which Set.of answers with an exception
            return audience == null ? null : Collections.singleton(audience);
        }

        private static JWTClaimsSet exactMatches(ReelrouteProperties.Jwt settings) {
            String issuer = blankToNull(settings.issuer());
            return issuer == null ? null : new JWTClaimsSet.Builder().issuer(issuer).build();
        }

        private static Set<String> requiredClaims(ReelrouteProperties.Jwt settings) {
            Set<String> required = new HashSet<>(Set.of(JWTClaimNames.SUBJECT));
            if (settings.requireExpiry()) {
                required.add(JWTClaimNames.EXPIRATION_TIME);
            }
            return required;
        }

        @Override
        protected Date currentTime() {
            return Date.from(clock.instant());
        }

        @Override
        public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
            super.verify(claims, context);
            Date issuedAt = claims.getIssueTime();
            if (issuedAt != null && issuedAt.getTime() > clock.millis() + skewMillis) {
                throw new BadJWTException("JWT issued in the future");
            }
            if (claims.getSubject().isBlank()) {
                throw new BadJWTException("JWT sub is blank");
            }
        }
    }

    private static final java.util.regex.Pattern SEGMENT = java.util.regex.Pattern.compile("[A-Za-z0-9_-]+");

    /** Three segments, each the one canonical unpadded base64url spelling of its bytes. */
    static boolean isCompactBase64Url(String token) {
        String[] segments = token.split("\\.", -1);
        if (segments.length != 3) {
            return false;
        }
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches() || segment.length() % 4 == 1) {
                return false;
            }
            byte[] bytes = java.util.Base64.getUrlDecoder().decode(segment);
            if (!java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(segment)) {
                return false; // spare low bits set in the last character
            }
        }
        return true;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
