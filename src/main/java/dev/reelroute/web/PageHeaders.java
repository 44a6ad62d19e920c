package dev.reelroute.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The browser-facing headers of the HTML pages the service serves (the dashboard, the try page, the share page),
 * set by one filter per page on every answer under its path, error pages included.
 */
@Configuration
public class PageHeaders {
    /**
     * The try page (swagger-ui at /api-docs/) keeps API keys in the browser (persistAuthorization): like the
     * dashboard it runs only its own scripts, talks only to this service and is never framed. swagger-ui sets inline
     * styles and draws its icons from data: URLs.
     */
    static final String TRY_PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "connect-src 'self'; img-src 'self' data:; font-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";
    /**
     * The share page holds no key and no action, only the video its link shares: any site may embed it (README,
     * "The share page"). Its video and poster may come from S3 (presigned https links).
     */
    static final String SHARE_PAGE_POLICY = "default-src 'none'; media-src 'self' https:; img-src 'self' https:; "
            + "style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors *";

    /** A page never framed: its policy, X-Frame-Options DENY for browsers without frame-ancestors, and nosniff. */
    public static Map<String, String> unframed(String policy) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", policy);
        headers.put("X-Frame-Options", "DENY");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        return headers;
    }

    /** A filter that sets {@code headers} on every answer under {@code urlPatterns}. */
    public static FilterRegistrationBean<OncePerRequestFilter> on(Map<String, String> headers, String... urlPatterns) {
        Map<String, String> set = Map.copyOf(headers);
        var registration = new FilterRegistrationBean<OncePerRequestFilter>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                set.forEach(response::setHeader);
                chain.doFilter(request, response);
            }
        });
        registration.addUrlPatterns(urlPatterns);
        return registration;
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> tryPageHeaders() {
        return on(unframed(TRY_PAGE_POLICY), "/api-docs", "/api-docs/*");
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> sharePageHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", SHARE_PAGE_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        return on(headers, "/share/*");
    }
}
