package dev.reelroute.web;

import dev.reelroute.security.AccountStore;
import dev.reelroute.security.JwtVerifier;
import dev.reelroute.config.ReelrouteProperties;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.multipart.MultipartResolver;

/**
 * Order matters: a path with dot segments is refused first; then rate limits, admin token, API authentication
 * (key or JWT); all before the multipart body is read, which comes next; then a field sent twice is refused.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityFilters {

    @Bean
    FilterRegistrationBean<DotSegmentsFilter> dotSegmentsFilter() {
        var registration = new FilterRegistrationBean<>(new DotSegmentsFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(ReelrouteProperties properties) {
        var registration = new FilterRegistrationBean<>(new RateLimitFilter(
                properties.rateLimit().apiPerMinute(), properties.rateLimit().submitPerMinute()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<AdminTokenFilter> adminTokenFilter(ReelrouteProperties properties) {
        var registration = new FilterRegistrationBean<>(new AdminTokenFilter(properties.adminToken()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    /** Built at start-up, so a JWT secret too short for HS256 stops the service with a clear message. */
    @Bean
    JwtVerifier jwtVerifier(ReelrouteProperties properties, Clock clock) {
        return new JwtVerifier(properties.jwt(), clock);
    }

    @Bean
    FilterRegistrationBean<ApiAuthFilter> apiAuthFilter(AccountStore accounts, JwtVerifier jwtVerifier) {
        var registration = new FilterRegistrationBean<>(new ApiAuthFilter(accounts, jwtVerifier));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
        return registration;
    }

    @Bean
    FilterRegistrationBean<MultipartBodyFilter> multipartBodyFilter(MultipartResolver multipartResolver) {
        var registration = new FilterRegistrationBean<>(new MultipartBodyFilter(multipartResolver));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 40);
        return registration;
    }

    @Bean
    FilterRegistrationBean<SingleValuedFieldsFilter> singleValuedFieldsFilter(MultipartResolver multipartResolver) {
        var registration = new FilterRegistrationBean<>(new SingleValuedFieldsFilter(multipartResolver));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 50);
        return registration;
    }
}
