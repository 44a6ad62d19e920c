package dev.reelroute.web;

import dev.reelroute.security.ApiPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.stereotype.Component;

/** Hands the routes the caller ApiAuthFilter authenticated (a request attribute, never a header). */
@Component("apiPrincipals")
public class ApiPrincipals {
    public static final String PROPERTY = "principal";

    /** First step of every authenticated route: puts the principal in the {@value #PROPERTY} property. */
    public void attach(Exchange exchange) {
        Object principal = null;
        if (exchange.getIn() instanceof PlatformHttpMessage http) {
            HttpServletRequest request = http.getRequest();
            principal = request.getAttribute(ApiPrincipal.REQUEST_ATTRIBUTE);
        }
        if (!(principal instanceof ApiPrincipal)) {
            throw new ApiException(401, ApiAuthFilter.MISSING);
        }
        exchange.setProperty(PROPERTY, principal);
    }
}
