package dev.reelroute.api;

import dev.reelroute.web.PageHeaders;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The dashboard page (static/dashboard/) at /dashboard/; it signs in with an API key and uses the public API. */
@Configuration
public class DashboardPage implements WebMvcConfigurer {
    /**
     * The page holds an API key: only its own scripts run, it talks only to this service, and it is never framed.
     * Videos and thumbnails may come from S3 (presigned https links).
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' https: data:; media-src 'self' https:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/dashboard", "/dashboard/");
        registry.addViewController("/dashboard/").setViewName("forward:/dashboard/index.html");
    }

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> dashboardHeaders() {
        return PageHeaders.on(PageHeaders.unframed(CONTENT_SECURITY_POLICY), "/dashboard", "/dashboard/*");
    }
}
