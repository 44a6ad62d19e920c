package dev.reelroute.api;

import dev.reelroute.web.MultipartBodyFilter;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Collection;
import org.apache.tomcat.util.http.fileupload.impl.FileCountLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.FileSizeLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.SizeLimitExceededException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;

/** How each way Tomcat's multipart parsing fails is answered, with the servlet container left out. */
class MultipartBodyFilterTest {
    private final MultipartBodyFilter filter = new MultipartBodyFilter(new StandardServletMultipartResolver());

    @Test
    void limitsAre413NamingTheLimit() throws Exception {
        assertThat(answer("/api/jobs", new IllegalStateException(
                new FileSizeLimitExceededException("too big", 60_000_000, 50L * 1024 * 1024))).getContentAsString())
                .isEqualTo("{\"error\":\"Uploaded file exceeded 50 MB\"}");
        MockHttpServletResponse body = answer("/api/v1/video-jobs",
                new IllegalStateException(new SizeLimitExceededException("too big", 200_000, 128 * 1024)));
        assertThat(body.getStatus()).isEqualTo(413);
        assertThat(body.getContentAsString()).isEqualTo("{\"detail\":\"Request body exceeded 128 KB\"}");
        assertThat(answer("/api/jobs", new IllegalStateException(new FileCountLimitExceededException("parts", 16)))
                .getContentAsString()).isEqualTo("{\"error\":\"Too many parts: at most 16\"}");
    }

    @Test
    void aReadTimeoutIs408AndAnythingElse400() throws Exception {
        MockHttpServletResponse timedOut = answer("/api/v1/videos",
                new IOException(new IOException(new SocketTimeoutException())));
        assertThat(timedOut.getStatus()).isEqualTo(408);
        assertThat(timedOut.getContentAsString()).contains("\"code\":\"REQUEST_TIMEOUT\"");
        MockHttpServletResponse broken = answer("/api/jobs", new IOException("Stream ended unexpectedly"));
        assertThat(broken.getStatus()).isEqualTo(400);
        assertThat(broken.getContentAsString()).isEqualTo("{\"error\":\"Malformed multipart body\"}");
    }

    @Test
    void aBodyThatParsesGoesOnAndOtherRequestsAreNotRead() throws Exception {
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(multipart("/api/jobs", null), new MockHttpServletResponse(), chain);
        assertThat(chain.getRequest()).isNotNull();
        MockHttpServletRequest json = multipart("/api/generate", new IOException("never read"));
        json.setContentType("application/json");
        chain = new MockFilterChain();
        filter.doFilter(json, new MockHttpServletResponse(), chain);
        assertThat(chain.getRequest()).isNotNull();
    }

    private MockHttpServletResponse answer(String path, Exception failure) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(multipart(path, failure), response, chain);
        assertThat(chain.getRequest()).as("passed on").isNull();
        return response;
    }

    /** A multipart POST whose parts fail to parse with {@code failure} (none: they parse). */
    private static MockHttpServletRequest multipart(String path, Exception failure) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path) {
            @Override
            public Collection<Part> getParts() throws IOException, ServletException {
                if (failure instanceof IOException io) {
                    throw io;
                }
                if (failure instanceof RuntimeException runtime) {
                    throw runtime;
                }
                return super.getParts();
            }
        };
        request.setServletPath(path);
        request.setContentType("multipart/form-data; boundary=b");
        return request;
    }
}
