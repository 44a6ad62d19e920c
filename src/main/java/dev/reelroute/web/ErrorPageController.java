package dev.reelroute.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The error page of every answer the routes did not write themselves (an unknown path, a method or media type the
 * path does not take, a failure outside a route): the error body of the surface the original path belongs to, in
 * place of Spring Boot's {@code {"timestamp","status","error","path"}}. The status stays what it was.
 */
@Controller
public class ErrorPageController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri instanceof String value ? value : "";
        ErrorBodies.write(path, response, status, messageFor(status, request, response));
    }

    static String messageFor(int status, HttpServletRequest request, HttpServletResponse response) {
        return switch (status) {
            case 400 -> "Bad request";
            case 404 -> "Not found: no resource at this path";
            case 405 -> "Method " + request.getMethod() + " is not allowed here"
                    + listed(" (allowed: ", response.getHeader("Allow"), ")");
            case 406 -> "Not acceptable: this resource has no answer of a type the Accept header allows";
            case 413 -> "Request body too large";
            case 415 -> "Unsupported Content-Type" + listed(": send ", response.getHeader("Accept"), "");
            default -> status >= 500 ? "Internal error" : "Request refused";
        };
    }

    private static String listed(String before, String value, String after) {
        return value == null || value.isBlank() ? "" : before + value + after;
    }
}
