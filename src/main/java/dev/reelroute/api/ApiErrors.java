package dev.reelroute.api;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns whatever a surface route threw into the surface's error body and status code. Client errors carry
 * their own message; anything else is a 500 whose details stay in the log, never in the answer.
 */
@Component("apiErrors")
public class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
    static final String SERVER_ERROR = "Server error. Retry with exponential backoff.";

    public void respond(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        String message;
        if (cause instanceof ApiException api) {
            status = api.getStatus();
            message = api.getMessage();
        } else {
            status = 500;
            message = SERVER_ERROR;
            log.error("Request failed on route {}", exchange.getFromRouteId(), cause);
        }
        var response = exchange.getMessage();
        response.removeHeaders("*");
        response.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        response.setHeader(Exchange.CONTENT_TYPE, "application/json");
        response.setBody(ErrorBodies.json(message));
    }
}
