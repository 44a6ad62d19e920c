package dev.reelroute.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.support.TestJwts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** The JWT rules on their own: a fixed clock, tokens signed here with nimbus, one rule broken per token. */
class JwtVerifierTest {
    private static final String SECRET = "an-hs256-secret-of-at-least-32-bytes!";
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ACCOUNT = "cm0000000000000000000000a";

    private static JwtVerifier verifier(String issuer, String audience, boolean requireExpiry) {
        return new JwtVerifier(new ReelrouteProperties.Jwt(SECRET, issuer, audience, requireExpiry,
                Duration.ofSeconds(60)), CLOCK);
    }

    private static final JwtVerifier DEFAULTS = verifier("", "", true);

    private static JWTClaimsSet.Builder valid() {
        return TestJwts.claims(ACCOUNT, NOW);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> refused(JwtVerifier verifier, String token) {
        return assertThatThrownBy(() -> verifier.subjectOf(token))
                .isInstanceOf(JwtVerifier.InvalidTokenException.class);
    }

    private static Date at(Duration offset) {
        return Date.from(NOW.plus(offset));
    }

    @Test
    void aValidTokenNamesItsAccount() throws Exception {
        assertThat(DEFAULTS.enabled()).isTrue();
        assertThat(DEFAULTS.subjectOf(TestJwts.hs256(SECRET, valid().build()))).isEqualTo(ACCOUNT);
        // explicitly typed tokens are fine too
        String typed = TestJwts.sign(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                SECRET, valid().build());
        assertThat(DEFAULTS.subjectOf(typed)).isEqualTo(ACCOUNT);
    }

    @Test
    void expiryIsCheckedWithTheClockSkewAndRequiredByDefault() throws Exception {
        String justExpired = TestJwts.hs256(SECRET, valid().expirationTime(at(Duration.ofSeconds(-30))).build());
        assertThat(DEFAULTS.subjectOf(justExpired)).as("within 60 s of skew").isEqualTo(ACCOUNT);
        String expired = TestJwts.hs256(SECRET, valid().expirationTime(at(Duration.ofSeconds(-61))).build());
        refused(DEFAULTS, expired).hasMessageContaining("Expired");

        String noExpiry = TestJwts.hs256(SECRET, valid().expirationTime(null).build());
        refused(DEFAULTS, noExpiry).hasMessageContaining("missing required claims").hasMessageContaining("exp");
        assertThat(verifier(null, null, false).subjectOf(noExpiry)).isEqualTo(ACCOUNT);
        // without the requirement an exp that is there still counts
        refused(verifier(null, null, false), expired).hasMessageContaining("Expired");
    }

    @Test
    void notBeforeAndIssuedAtMustNotBeInTheFuture() throws Exception {
        refused(DEFAULTS, TestJwts.hs256(SECRET, valid().notBeforeTime(at(Duration.ofMinutes(2))).build()))
                .hasMessageContaining("before use time");
        assertThat(DEFAULTS.subjectOf(TestJwts.hs256(SECRET, valid().notBeforeTime(at(Duration.ofSeconds(30))).build())))
                .isEqualTo(ACCOUNT);

        refused(DEFAULTS, TestJwts.hs256(SECRET, valid().issueTime(at(Duration.ofMinutes(2))).build()))
                .hasMessageContaining("issued in the future");
        assertThat(DEFAULTS.subjectOf(TestJwts.hs256(SECRET, valid().issueTime(at(Duration.ofSeconds(30))).build())))
                .isEqualTo(ACCOUNT);
    }

    @Test
    void aSignatureWithAnotherSecretOrAlteredClaimsIsRefused() {
        refused(DEFAULTS, TestJwts.hs256("another-secret-also-32-bytes-long!!", valid().build()))
                .hasMessageContaining("Invalid signature");

        String genuine = TestJwts.hs256(SECRET, valid().build());
        String[] parts = genuine.split("\\.");
        String otherAccount = TestJwts.handMade("{\"alg\":\"HS256\"}",
                TestJwts.claims("cm0000000000000000000000b", NOW).build(), parts[2]);
        refused(DEFAULTS, otherAccount).hasMessageContaining("Invalid signature");
    }

    @Test
    void onlyHs256IsAccepted() {
        JWTClaimsSet claims = valid().build();
        refused(DEFAULTS, TestJwts.unsigned(claims));
        refused(DEFAULTS, TestJwts.handMade("{\"alg\":\"none\"}", claims, ""));
        refused(DEFAULTS, TestJwts.handMade("{\"alg\":\"None\"}", claims, "c2ln"));
        // the same secret under a bigger HMAC is still not HS256
        String longSecret = SECRET + SECRET;
        refused(DEFAULTS, TestJwts.sign(new JWSHeader(JWSAlgorithm.HS384), longSecret, claims))
                .hasMessageContaining("Another algorithm expected");
        refused(new JwtVerifier(new ReelrouteProperties.Jwt(longSecret, null, null, true, Duration.ofSeconds(60)), CLOCK),
                TestJwts.sign(new JWSHeader(JWSAlgorithm.HS512), longSecret, claims))
                .hasMessageContaining("Another algorithm expected");
        refused(DEFAULTS, TestJwts.rs256(claims)).hasMessageContaining("Another algorithm expected");
        // a critical header we do not understand
        refused(DEFAULTS, TestJwts.sign(new JWSHeader.Builder(JWSAlgorithm.HS256).criticalParams(Set.of("x-policy"))
                .customParam("x-policy", "strict").build(), SECRET, claims));
    }

    @Test
    void issuerAndAudienceAreCheckedOnlyWhenConfigured() throws Exception {
        JwtVerifier strict = verifier("https://issuer.example", "reelroute", true);
        String right = TestJwts.hs256(SECRET, valid().issuer("https://issuer.example")
                .audience(List.of("other", "reelroute")).build());
        assertThat(strict.subjectOf(right)).isEqualTo(ACCOUNT);
        assertThat(DEFAULTS.subjectOf(right)).as("not configured: not checked").isEqualTo(ACCOUNT);

        refused(strict, TestJwts.hs256(SECRET, valid().issuer("https://evil.example").audience("reelroute").build()))
                .hasMessageContaining("iss");
        refused(strict, TestJwts.hs256(SECRET, valid().audience("reelroute").build())).hasMessageContaining("iss");
        refused(strict, TestJwts.hs256(SECRET, valid().issuer("https://issuer.example").audience("other").build()))
                .hasMessageContaining("audience");
        refused(strict, TestJwts.hs256(SECRET, valid().issuer("https://issuer.example").build()))
                .hasMessageContaining("audience");
    }

    @Test
    void aSubjectIsRequired() {
        refused(DEFAULTS, TestJwts.hs256(SECRET, valid().subject(null).build()))
                .hasMessageContaining("missing required claims").hasMessageContaining("sub");
        refused(DEFAULTS, TestJwts.hs256(SECRET, valid().subject("  ").build())).hasMessageContaining("sub");
    }

    @Test
    void malformedAndOversizedTokensAreRefusedWithoutParsingTrouble() {
        for (String malformed : List.of("", "abc", "a.b.c", "a.b", "..", "eyJhbGciOiJIUzI1NiJ9.%%%.sig",
                "eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln")) {
            refused(DEFAULTS, malformed);
        }
        String huge = TestJwts.hs256(SECRET, valid().claim("padding", "x".repeat(JwtVerifier.MAX_TOKEN_LENGTH)).build());
        refused(DEFAULTS, huge).hasMessageContaining("longer than");
        refused(DEFAULTS, null);
    }

    @Test
    void everySegmentMustBeCanonicalUnpaddedBase64Url() throws Exception {
        String token = TestJwts.hs256(SECRET, valid().build());
        assertThat(DEFAULTS.subjectOf(token)).isEqualTo(ACCOUNT);
        String[] parts = token.split("\\.");
        String signature = parts[2];
        // the last of the 43 characters of a 32-byte HMAC carries 2 spare bits: another spelling of the same bytes
        char last = signature.charAt(signature.length() - 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char sameBytes = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String spareBits = parts[0] + "." + parts[1] + "." + signature.substring(0, signature.length() - 1) + sameBytes;
        for (String bent : List.of(token + "==", token + "=", parts[0] + "=." + parts[1] + "." + signature,
                parts[0] + "." + parts[1] + "==." + signature, token.replace('-', '+').replace('_', '/') + "+/",
                parts[0] + "." + parts[1] + "." + signature + " ", parts[0] + "." + parts[1] + "." + signature + "\n",
                spareBits)) {
            refused(DEFAULTS, bent).hasMessageContaining("base64url");
        }
    }

    @Test
    void theSecretMustBeLongEnoughForHs256AndEmptyMeansOff() throws Exception {
        assertThatThrownBy(() -> new JwtVerifier(
                new ReelrouteProperties.Jwt("x".repeat(31), null, null, true, Duration.ofSeconds(60)), CLOCK))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining("x".repeat(31));
        String exactly32 = "y".repeat(32);
        assertThat(new JwtVerifier(new ReelrouteProperties.Jwt(exactly32, null, null, true, Duration.ofSeconds(60)),
                CLOCK).subjectOf(TestJwts.hs256(exactly32, valid().build()))).isEqualTo(ACCOUNT);

        for (String off : new String[] {null, ""}) {
            JwtVerifier disabled = new JwtVerifier(
                    new ReelrouteProperties.Jwt(off, null, null, true, Duration.ofSeconds(60)), CLOCK);
            assertThat(disabled.enabled()).isFalse();
            assertThatThrownBy(() -> disabled.subjectOf(TestJwts.hs256(SECRET, valid().build())))
                    .isInstanceOf(JwtVerifier.InvalidTokenException.class);
        }
    }

    @Test
    void theSecretIsNeverInTheSettingsText() {
        assertThat(new ReelrouteProperties.Jwt(SECRET, "iss", "aud", true, Duration.ofSeconds(60)).toString())
                .doesNotContain(SECRET).contains("secret=set");
    }
}
