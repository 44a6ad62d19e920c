package dev.reelroute.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MultipartException;

/**
 * A multipart body Tomcat parsed (in {@link MultipartBodyFilter}, which answers stalls, limits and broken bodies) but
 * Spring cannot read, such as a part header it refuses: a 400 in the request's surface's error body.
 */
@RestControllerAdvice
public class ServletErrorAdvice {
    private static final Logger log = LoggerFactory.getLogger(ServletErrorAdvice.class);

    @ExceptionHandler(MultipartException.class)
    public void malformed(MultipartException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        log.debug("Rejected multipart body: {}", e.getMessage());
        ErrorBodies.write(request, response, 400, MultipartBodyFilter.MALFORMED);
    }
}
