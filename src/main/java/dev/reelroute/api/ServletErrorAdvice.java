package dev.reelroute.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * Errors raised by the servlet layer before a route runs (multipart parsing), in the request's surface's error body.
 * The multipart limits stop reading as soon as a part passes them.
 */
@RestControllerAdvice
public class ServletErrorAdvice {
    private static final Logger log = LoggerFactory.getLogger(ServletErrorAdvice.class);

    private final String maxFileSize;

    public ServletErrorAdvice(MultipartProperties multipart) {
        this.maxFileSize = multipart.getMaxFileSize().toMegabytes() + " MB";
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    public void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ErrorBodies.write(request, response, 413, "Uploaded file exceeded " + maxFileSize);
    }

    @ExceptionHandler(MultipartException.class)
    public void malformed(MultipartException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        log.debug("Rejected multipart body: {}", e.getMessage());
        ErrorBodies.write(request, response, 400, "Malformed multipart body");
    }
}
