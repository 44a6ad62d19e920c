package dev.reelroute.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.apache.camel.util.ObjectHelper;
import org.apache.tomcat.util.http.fileupload.impl.FileCountLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.FileSizeLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.SizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.multipart.MultipartResolver;

/**
 * Reads the parts of every multipart request the DispatcherServlet would parse, before it does, and answers a body
 * that stalls (408), passes the multipart limits (413) or is malformed (400) with the surface's error body. Left to
 * the DispatcherServlet, a failed read (Tomcat marks it as an error) made it pass the request on unparsed, and the
 * route re-read the consumed body: a 500 with nothing in it. Tomcat keeps the parsed parts on the request, so
 * platform-http still gets them. Registered after authentication, so an unauthenticated upload is never read.
 */
public class MultipartBodyFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(MultipartBodyFilter.class);
    public static final String MALFORMED = "Malformed multipart body";
    static final String TIMED_OUT = "Request body not received in time";
    /** A refusal of a body whose read failed: Tomcat has already sent an error, so it is written on its error page. */
    private static final String REFUSAL = MultipartBodyFilter.class.getName() + ".refusal";

    private final MultipartResolver multipart;

    public MultipartBodyFilter(MultipartResolver multipart) {
        this.multipart = multipart;
    }

    private record Refusal(String path, int status, String message) {}

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            return request.getAttribute(REFUSAL) == null;
        }
        return !multipart.isMultipart(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getAttribute(REFUSAL) instanceof Refusal refusal) {
            ErrorBodies.write(refusal.path(), response, refusal.status(), refusal.message());
            return;
        }
        try {
            request.getParts();
        } catch (IOException | ServletException | RuntimeException failed) {
            // runtime too: a NUL in a part header fails Tomcat's parse with an IllegalArgumentException
            Refusal refusal = refusal(RequestPaths.of(request), failed);
            log.debug("Refused a multipart body with {}: {}", refusal.status(), failed.toString());
            // Tomcat answers a failed read itself (sendError), which closes the response to this filter until it
            // dispatches its error page
            if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) != null) {
                request.setAttribute(REFUSAL, refusal);
            } else {
                ErrorBodies.write(refusal.path(), response, refusal.status(), refusal.message());
            }
            return;
        }
        chain.doFilter(request, response);
    }

    private static Refusal refusal(String path, Exception failed) {
        if (ObjectHelper.getException(SocketTimeoutException.class, failed) != null) {
            return new Refusal(path, 408, TIMED_OUT);
        }
        SizeException tooLarge = ObjectHelper.getException(SizeException.class, failed);
        if (tooLarge != null) {
            String what = tooLarge instanceof FileSizeLimitExceededException ? "Uploaded file" : "Request body";
            return new Refusal(path, 413, what + " exceeded " + size(tooLarge.getPermittedSize()));
        }
        var tooMany = ObjectHelper.getException(FileCountLimitExceededException.class, failed);
        if (tooMany != null) {
            return new Refusal(path, 413, "Too many parts: at most " + tooMany.getLimit());
        }
        return new Refusal(path, 400, MALFORMED);
    }

    /** The limit as configured: "50 MB", "64 KB", or bytes. */
    private static String size(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MB";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + " KB" : bytes + " bytes";
    }
}
