package dev.reelroute.project;

import dev.reelroute.config.DaemonThreads;
import dev.reelroute.config.ReelrouteProperties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The threads the project split runs its clips on: {@code reelroute.projects.clip-concurrency} (3) per
 * instance, shared by every run, so no more than that many clips are generated at once. Bound in Camel's
 * registry as {@value #NAME} (a Spring Executor bean would replace Spring Boot's task executor).
 */
@Component
public class ClipGenerationPool implements CamelContextConfiguration, DisposableBean {
    public static final String NAME = "clipGenerationPool";

    private final ExecutorService pool;

    public ClipGenerationPool(ReelrouteProperties properties) {
        int size = properties.projects().clipConcurrency();
        this.pool = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                new DaemonThreads("clip-generation"));
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getRegistry().bind(NAME, ExecutorService.class, pool);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing once started
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
    }
}
