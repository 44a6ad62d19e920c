package dev.reelroute.web;

import dev.reelroute.security.JwtVerifier;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.WorkerlessServiceTest;
import dev.reelroute.support.TestJwts;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Authentication through the running service: an API key in X-API-Key or as a Bearer token, or an HS256 JWT
 * naming an account; each refusal is a 401 in the body of the surface asked ({"detail"} under
 * /api/v1/video-jobs, {"error"} under /api/jobs) with a Bearer challenge.
 */
class BearerAuthTest extends WorkerlessServiceTest {
    static final String SECRET = JWT_SECRET;
    private static final String VIDEO_JOBS = "/api/v1/video-jobs";

    @Autowired
    JdbcTemplate jdbc;

    private static String jwtFor(String accountId) {
        return TestJwts.hs256(SECRET, TestJwts.claims(accountId, Instant.now()).build());
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    /** A 401 (or other refusal) with the surface's one-field error body and a Bearer challenge. */
    static void assertRefused(ApiClient.Response response, int status, String field, String message, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().size()).as(response.body()).isEqualTo(1);
        assertThat(response.json().path(field).asText()).as(response.body()).isEqualTo(message);
        String challenge = response.header("WWW-Authenticate");
        assertThat(challenge).startsWith("Bearer realm=\"reelroute\"");
        if (error == null) {
            assertThat(challenge).doesNotContain("error=");
        } else {
            assertThat(challenge).contains("error=\"" + error + "\"");
        }
    }

    @Test
    void anApiKeyWorksInEitherHeaderUntilItIsDeactivated() throws Exception {
        var member = newAccount("keys");
        assertThat(api.get("/api/jobs", member.apiKey()).status()).isEqualTo(200);
        ApiClient.Response viaBearer = api.getWithBearer("/api/jobs", member.apiKey());
        assertThat(viaBearer.status()).as(viaBearer.body()).isEqualTo(200);
        assertThat(viaBearer.json().get("jobs").isArray()).isTrue();

        assertThat(accounts.deactivateKey(member.keyId())).isTrue();
        assertRefused(api.getWithBearer("/api/jobs", member.apiKey()), 401, "error",
                ApiAuthFilter.KEY_NOT_RECOGNIZED, "invalid_token");
        assertRefused(api.getWithBearer(VIDEO_JOBS, member.apiKey()), 401, "detail",
                ApiAuthFilter.KEY_NOT_RECOGNIZED, "invalid_token");
        assertRefused(api.get("/api/jobs", member.apiKey()), 401, "error", ApiAuthFilter.KEY_NOT_RECOGNIZED,
                "invalid_token");
    }

    @Test
    void aJwtActsForTheAccountItsSubjectNames() throws Exception {
        var owner = newAccount("jwt-owner");
        var stranger = newAccount("jwt-stranger");
        ApiClient.Response created = api.postMultipartWithHeaders("/api/video-projects",
                List.of(Part.field("name", "Made with a JWT")), "Authorization", bearer(jwtFor(owner.accountId())));
        assertThat(created.status()).as(created.body()).isEqualTo(201);

        ApiClient.Response ownersList = api.get("/api/video-projects", owner.apiKey());
        assertThat(ownersList.json().get("videoProjects")).hasSize(1);
        assertThat(ownersList.json().get("videoProjects").get(0).get("name").asText()).isEqualTo("Made with a JWT");
        ApiClient.Response strangersList = api.getWithBearer("/api/video-projects", jwtFor(stranger.accountId()));
        assertThat(strangersList.status()).isEqualTo(200);
        assertThat(strangersList.json().get("videoProjects")).isEmpty();

        // the video jobs API's surface has no route in this branch: whatever answers, it is past authentication
        ApiClient.Response videoJobs = api.getWithBearer(VIDEO_JOBS, jwtFor(owner.accountId()));
        assertThat(videoJobs.status()).as(videoJobs.body()).isNotIn(400, 401, 403);
        assertThat(videoJobs.header("WWW-Authenticate")).isNull();
    }

    @Test
    void theJobsApiTakesOnlyApiKeysBecauseItsLimitIsPerKey() throws Exception {
        var member = newAccount("jobs-jwt");
        String jwt = jwtFor(member.accountId());
        assertRefused(api.getWithBearer("/api/jobs", jwt), 401, "error", ApiAuthFilter.API_KEY_REQUIRED,
                "invalid_token");
        assertRefused(api.getWithBearer("/api/status/anything", jwt), 401, "error", ApiAuthFilter.API_KEY_REQUIRED,
                "invalid_token");
        int jobsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM jobs", Integer.class);
        assertRefused(api.postMultipartWithHeaders("/api/jobs", List.of(Part.field("webhookUrl", "x")),
                "Authorization", bearer(jwt)), 401, "error", ApiAuthFilter.API_KEY_REQUIRED, "invalid_token");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM jobs", Integer.class)).isEqualTo(jobsBefore);
    }

    @Test
    void everyBadJwtGetsTheSameAnswerInEachSurfacesBody() throws Exception {
        String accountId = newAccount("refusals").accountId();
        Instant now = Instant.now();
        JWTClaimsSet good = TestJwts.claims(accountId, now).build();
        String longSecret = SECRET + SECRET;
        Map<String, String> badTokens = new LinkedHashMap<>();
        badTokens.put("expired", TestJwts.hs256(SECRET, TestJwts.claims(accountId, now.minus(Duration.ofHours(1)))
                .build()));
        badTokens.put("no exp", TestJwts.hs256(SECRET, TestJwts.claims(accountId, now).expirationTime(null).build()));
        badTokens.put("not yet valid", TestJwts.hs256(SECRET, TestJwts.claims(accountId, now)
                .notBeforeTime(Date.from(now.plus(Duration.ofMinutes(10)))).build()));
        badTokens.put("wrong signature", TestJwts.hs256("another-secret-of-enough-bytes-0123456789", good));
        badTokens.put("alg none", TestJwts.unsigned(good));
        badTokens.put("HS512", TestJwts.sign(new JWSHeader(JWSAlgorithm.HS512), longSecret, good));
        badTokens.put("RS256", TestJwts.rs256(good));
        badTokens.put("unknown sub", jwtFor("cnosuchaccount00000000000"));
        badTokens.put("malformed", "eyJhbGciOiJIUzI1NiJ9.not-json.c2ln");
        badTokens.put("oversized", TestJwts.hs256(SECRET, TestJwts.claims(accountId, now)
                .claim("padding", "x".repeat(JwtVerifier.MAX_TOKEN_LENGTH)).build()));

        // the same account's good token passes, so each refusal is down to what was bent
        assertThat(api.getWithBearer("/api/video-projects", TestJwts.hs256(SECRET, good)).status()).isEqualTo(200);
        for (var bad : badTokens.entrySet()) {
            ApiClient.Response detail = api.getWithBearer(VIDEO_JOBS, bad.getValue());
            assertThat(detail.status()).as(bad.getKey()).isEqualTo(401);
            assertRefused(detail, 401, "detail", ApiAuthFilter.TOKEN_REFUSED, "invalid_token");
            ApiClient.Response error = api.getWithBearer("/api/jobs", bad.getValue());
            assertThat(error.status()).as(bad.getKey()).isEqualTo(401);
            assertRefused(error, 401, "error", ApiAuthFilter.TOKEN_REFUSED, "invalid_token");
            assertRefused(api.getWithBearer("/api/video-projects", bad.getValue()), 401, "error",
                    ApiAuthFilter.TOKEN_REFUSED, "invalid_token");
        }
    }

    @Test
    void missingOddAndDoubleCredentials() throws Exception {
        assertRefused(api.get(VIDEO_JOBS, null), 401, "detail", ApiAuthFilter.MISSING, null);
        assertRefused(api.get(VIDEO_JOBS + "/some-job", null), 401, "detail", ApiAuthFilter.MISSING, null);
        assertRefused(api.get("/api/jobs", null), 401, "error", ApiAuthFilter.MISSING, null);
        assertRefused(api.getWithHeaders(VIDEO_JOBS, "Authorization", "Bearer "), 401, "detail",
                ApiAuthFilter.MISSING, null);
        assertRefused(api.getWithHeaders(VIDEO_JOBS, "Authorization", "Basic dXNlcjpwYXNz"), 401, "detail",
                ApiAuthFilter.NOT_BEARER, null);

        var member = newAccount("both");
        assertRefused(api.getWithHeaders("/api/jobs", "X-API-Key", member.apiKey(), "Authorization",
                bearer(member.apiKey())), 400, "error", ApiAuthFilter.TWO_CREDENTIALS, "invalid_request");
        // the scheme is case-insensitive; a key far longer than any we issue is not looked up
        assertThat(api.getWithHeaders("/api/jobs", "Authorization", "bearer " + member.apiKey()).status())
                .isEqualTo(200);
        assertRefused(api.getWithBearer("/api/jobs", "rr_" + "k".repeat(300)), 401, "error",
                ApiAuthFilter.KEY_NOT_RECOGNIZED, "invalid_token");
        // a surface merely starting with the same letters keeps the {"error"} body
        assertRefused(api.get(VIDEO_JOBS + "-old", null), 401, "error", ApiAuthFilter.MISSING, null);
    }
}
