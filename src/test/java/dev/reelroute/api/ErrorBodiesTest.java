package dev.reelroute.api;

import dev.reelroute.web.ErrorBodies;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ErrorBodiesTest {

    @Test
    void theVideoJobsSurfaceAnswersWithDetailAndTheOthersWithError() {
        assertThat(ErrorBodies.jsonFor("/api/v1/video-jobs", "x")).isEqualTo("{\"detail\":\"x\"}");
        assertThat(ErrorBodies.jsonFor("/api/v1/video-jobs/", "x")).isEqualTo("{\"detail\":\"x\"}");
        assertThat(ErrorBodies.jsonFor("/api/v1/video-jobs/abc/download", "x")).isEqualTo("{\"detail\":\"x\"}");
        for (String other : new String[] {"/api/jobs", "/api/generate", "/api/video-projects/p", "/admin/accounts",
                "/api/v1/video-jobsx", "/api/v1/videosx"}) {
            assertThat(ErrorBodies.jsonFor(other, "x")).as(other).isEqualTo("{\"error\":\"x\"}");
        }
        // the style-transfer surface answers in its envelope, with a code for the status
        for (String styled : new String[] {"/api/v1/videos", "/api/v1/jobs/abc/result"}) {
            assertThat(ErrorBodies.jsonFor(styled, 401, "x")).as(styled).isEqualTo(
                    "{\"success\":false,\"data\":null,\"error\":{\"code\":\"UNAUTHORIZED\",\"message\":\"x\"},"
                            + "\"meta\":null}");
        }
        assertThat(ErrorBodies.detailJson("say \"hi\"")).isEqualTo("{\"detail\":\"say \\\"hi\\\"\"}");
    }

    @Test
    void writeChoosesByTheMappedPathNotTheRawUri() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/%76ideo-jobs");
        request.setServletPath("/api/v1/video-jobs");
        MockHttpServletResponse response = new MockHttpServletResponse();
        ErrorBodies.write(request, response, 401, "no");
        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getContentType()).startsWith("application/json");
        assertThat(response.getContentAsString()).isEqualTo("{\"detail\":\"no\"}");
    }
}
