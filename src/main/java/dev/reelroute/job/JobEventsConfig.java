package dev.reelroute.job;

import dev.reelroute.config.DaemonThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One thread carries every progress event of this instance (the reporting kamelets' wire-taps and FFmpeg's
 * progress), so events are recorded and published in the order they happened and a late "rendering" never follows
 * a "completed". A bounded queue keeps a stuck database from piling up memory; past it the caller runs the event.
 *
 * <p>The executor is bound in Camel's registry as {@value #EXECUTOR} rather than declared as a Spring bean: an
 * Executor bean would replace Spring Boot's default task executor, which platform-http relies on.
 */
@Component
public class JobEventsConfig implements CamelContextConfiguration, DisposableBean {
    public static final String EXECUTOR = "jobEventsExecutor";

    private final ExecutorService executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(10_000), new DaemonThreads("job-events"), new ThreadPoolExecutor.CallerRunsPolicy());

    public ExecutorService executor() {
        return executor;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        camelContext.getRegistry().bind(EXECUTOR, ExecutorService.class, executor);
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing to do once started
    }

    @Override
    public void destroy() {
        executor.shutdown();
    }
}
