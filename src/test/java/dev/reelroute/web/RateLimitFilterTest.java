package dev.reelroute.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Which requests draw from the small submission bucket, and the 429 in each surface's body (servlet fakes only). */
class RateLimitFilterTest {
    private static final int API_PER_MINUTE = 100;
    private static final int SUBMIT_PER_MINUTE = 2;
    private final RateLimitFilter filter = new RateLimitFilter(API_PER_MINUTE, SUBMIT_PER_MINUTE);

    private record Answer(MockHttpServletResponse response, boolean passed) {
        String limit() {
            return response.getHeader("RateLimit-Limit");
        }

        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(response.getContentAsString());
        }
    }

    private Answer call(String method, String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setServletPath(path);
        request.setRemoteAddr("192.0.2.7");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return new Answer(response, chain.getRequest() != null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/jobs", "/api/v1/video-jobs", "/api/generate", "/api/v1/video-jobs/"})
    void eachSurfacesSubmissionDrawsFromTheSmallBucket(String path) throws Exception {
        Answer first = call("POST", path);
        assertThat(first.passed()).isTrue();
        assertThat(first.limit()).isEqualTo(Integer.toString(SUBMIT_PER_MINUTE));
        assertThat(call("POST", path).passed()).isTrue();
        Answer refused = call("POST", path);
        assertThat(refused.passed()).isFalse();
        assertThat(refused.response().getStatus()).isEqualTo(429);
        assertThat(refused.response().getHeader("Retry-After")).isNotNull();
        // reads keep the general bucket
        Answer read = call("GET", path);
        assertThat(read.passed()).isTrue();
        assertThat(read.limit()).isEqualTo(Integer.toString(API_PER_MINUTE));
    }

    @Test
    void otherPostsAreNotSubmissions() throws Exception {
        for (int i = 0; i < SUBMIT_PER_MINUTE + 1; i++) {
            Answer answer = call("POST", "/api/v1/video-jobs/some-job/cancel");
            assertThat(answer.passed()).isTrue();
            assertThat(answer.limit()).isEqualTo(Integer.toString(API_PER_MINUTE));
        }
    }

    @Test
    void theRefusalIsInTheSurfacesBody() throws Exception {
        for (int i = 0; i < SUBMIT_PER_MINUTE; i++) {
            call("POST", "/api/v1/video-jobs");
        }
        Answer videoJobs = call("POST", "/api/v1/video-jobs");
        assertThat(videoJobs.response().getStatus()).isEqualTo(429);
        assertThat(videoJobs.json().get("detail").asText()).contains("Rate limit exceeded");
        assertThat(videoJobs.json().has("error")).isFalse();

        // the submission bucket is per address, not per surface: it is empty for /api/jobs too
        Answer jobs = call("POST", "/api/jobs");
        assertThat(jobs.response().getStatus()).isEqualTo(429);
        assertThat(jobs.json().get("error").asText()).contains("Rate limit exceeded");
        assertThat(jobs.json().has("detail")).isFalse();
    }
}
