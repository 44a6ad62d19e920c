package dev.reelroute.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.reelroute.config.ReelrouteProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Any Bearer token text: {@link JwtVerifier#subjectOf} gives a non-blank subject only for a token whose HS256
 * signature really is the secret's over its first two segments, and otherwise throws
 * {@link JwtVerifier.InvalidTokenException} whose message never repeats the token; nothing else. The clock is fixed
 * (2026-12-01) so the committed valid token keeps replaying.
 */
class JwtVerifierFuzzTest {
    static final String SECRET = "fuzz-secret-fuzz-secret-fuzz-secret-0123456789";
    private static final JwtVerifier VERIFIER = new JwtVerifier(
            new ReelrouteProperties.Jwt(SECRET, null, null, true, Duration.ofSeconds(60)),
            Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC));

    @FuzzTest(maxDuration = "10m")
    void subjectOnlyForATokenSignedWithTheSecret(byte[] input) throws Exception {
        // raw bytes, not a String parameter: the committed inputs are then the exact text, readable as such
        String token = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        String subject;
        try {
            subject = VERIFIER.subjectOf(token);
        } catch (JwtVerifier.InvalidTokenException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            if (token.length() > 16) {
                assertThat(refused.getMessage()).doesNotContain(token);
            }
            return;
        }
        assertThat(subject).isNotBlank();
        int lastDot = token.lastIndexOf('.');
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = hmac.doFinal(token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII));
        assertThat(token.substring(lastDot + 1))
                .isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(expected));
    }
}
