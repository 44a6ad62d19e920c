package dev.reelroute.security;

import dev.reelroute.config.ReelrouteProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Order matters: rate limits, then admin token, then API key; all before the multipart body is read. */
@Configuration(proxyBeanMethods = false)
public class SecurityFilters {

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

    @Bean
    FilterRegistrationBean<ApiKeyAuthFilter> apiKeyAuthFilter(AccountStore accounts) {
        var registration = new FilterRegistrationBean<>(new ApiKeyAuthFilter(accounts));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
        return registration;
    }
}
