package dev.reelroute.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.apache.catalina.core.ApplicationPart;
import org.apache.tomcat.util.http.fileupload.FileItem;
import org.apache.tomcat.util.http.fileupload.FileUpload;
import org.apache.tomcat.util.http.fileupload.InvalidFileNameException;
import org.apache.tomcat.util.http.fileupload.disk.DiskFileItemFactory;
import org.apache.tomcat.util.http.fileupload.impl.InvalidContentTypeException;
import org.apache.tomcat.util.http.fileupload.impl.SizeException;
import org.apache.tomcat.util.http.fileupload.servlet.ServletRequestContext;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;

/**
 * Any multipart body (and query string) through {@link MultipartBodyFilter} then {@link SingleValuedFieldsFilter},
 * the way an upload reaches the surfaces: the request goes on, or it is answered 400, 408 or 413 with the surface's
 * JSON error body; no exception escapes either filter. The parts are parsed by Tomcat's own multipart parser, with
 * its exceptions mapped as Tomcat's Request.parseParts maps them. Input: the first line is the query string, the
 * rest the body under the boundary {@value #BOUNDARY}.
 */
class MultipartFiltersFuzzTest {
    static final String BOUNDARY = "fuzzBoundary";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StandardServletMultipartResolver RESOLVER = new StandardServletMultipartResolver();
    private static final MultipartBodyFilter BODY_FILTER = new MultipartBodyFilter(RESOLVER);
    private static final SingleValuedFieldsFilter FIELDS_FILTER = new SingleValuedFieldsFilter(RESOLVER);
    private static final String REACHED = "fuzz.reached-the-route";
    /** Stands for platform-http: marks that the request got through both filters. */
    private static final jakarta.servlet.Servlet ROUTE = new jakarta.servlet.http.HttpServlet() {
        @Override
        protected void service(jakarta.servlet.http.HttpServletRequest request,
                               jakarta.servlet.http.HttpServletResponse response) {
            request.setAttribute(REACHED, true);
        }
    };
    private static final File REPOSITORY = new File(System.getProperty("java.io.tmpdir"));

    @FuzzTest(maxDuration = "10m")
    void uploadGoesOnOrIsAnsweredWithAnErrorBody(byte[] input) throws Exception {
        int newline = indexOf(input, (byte) '\n');
        String query = newline < 0 ? null : new String(input, 0, newline, StandardCharsets.ISO_8859_1);
        byte[] body = newline < 0 ? input : Arrays.copyOfRange(input, newline + 1, input.length);

        TomcatMultipartRequest request = new TomcatMultipartRequest(body);
        request.setQueryString(query == null || query.isEmpty() ? null : query);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain(ROUTE, FIELDS_FILTER);
        try {
            BODY_FILTER.doFilter(request, response, chain);
        } finally {
            request.deleteParts();
        }
        if (request.getAttribute(REACHED) != null) {
            assertThat(response.getStatus()).isEqualTo(200);
            return;
        }
        assertThat(response.getStatus()).isIn(400, 408, 413);
        JsonNode error = JSON.readTree(response.getContentAsString());
        assertThat(error.path("error").asText()).isNotBlank();
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** A POST to /api/jobs whose parts Tomcat's parser reads from the body, with Tomcat's limits and failures. */
    private static final class TomcatMultipartRequest extends MockHttpServletRequest {
        private List<Part> parts;
        private Exception failure;

        TomcatMultipartRequest(byte[] body) {
            super("POST", "/api/jobs");
            setContentType("multipart/form-data; boundary=" + BOUNDARY);
            setContent(body);
        }

        @Override
        public Collection<Part> getParts() throws IOException, ServletException {
            if (parts == null && failure == null) {
                parse();
            }
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof ServletException servlet) {
                throw servlet;
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            return parts;
        }

        @Override
        public Part getPart(String name) throws IOException, ServletException {
            return getParts().stream().filter(part -> part.getName().equals(name)).findFirst().orElse(null);
        }

        private void parse() {
            FileUpload upload = new FileUpload();
            upload.setFileItemFactory(new DiskFileItemFactory(1024, REPOSITORY));
            upload.setFileSizeMax(64 * 1024);
            upload.setSizeMax(128 * 1024);
            upload.setFileCountMax(16); // server.tomcat.max-part-count
            try {
                List<Part> parsed = new ArrayList<>();
                for (FileItem item : upload.parseRequest(new ServletRequestContext(this))) {
                    parsed.add(new ApplicationPart(item, REPOSITORY));
                }
                parts = parsed;
            } catch (InvalidContentTypeException e) {
                failure = new ServletException(e);
            } catch (SizeException e) {
                failure = new IllegalStateException(e);
            } catch (IOException | IllegalStateException | InvalidFileNameException e) {
                failure = e;
            }
        }

        void deleteParts() throws IOException {
            if (parts != null) {
                for (Part part : parts) {
                    part.delete();
                }
            }
        }
    }
}
