package dev.reelroute.web;

import java.io.IOException;
import java.io.PrintWriter;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's own error answers, for requests it refuses before any servlet sees them (an encoded {@code /}, NUL or
 * backslash in the path): the error body of the surface the raw path names, in place of Tomcat's HTML page.
 * Installed as the host's error report valve by {@link TomcatErrorBodies}.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String path = request.getRequestURI() == null ? "" : request.getRequestURI();
        String message = status == 400
                ? "Bad request: the path is not valid (an encoded slash, backslash or NUL is not allowed in a path)"
                : status >= 500 ? "Internal error" : "Request refused";
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(ErrorBodies.jsonFor(path, status, message));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException ignored) {
            // the connection is gone or the response closed: nothing more can be said
        }
    }
}
