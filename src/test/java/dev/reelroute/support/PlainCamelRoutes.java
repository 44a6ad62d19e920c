package dev.reelroute.support;

import dev.reelroute.job.JobSteps;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.apache.camel.support.PluginHelper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Route files of the service in a plain Camel context of their own over a test's database, so that a contract test
 * runs their camel-sql steps on each database reelroute supports: the routes' {@code dataSource}, their
 * {@code jobSteps} (its {@code now} read from the test's clock), their {@code jobDatabaseTransaction} over that
 * database, and the test's stand-ins for the other beans they call. Their error handling is the service's
 * (error-handling.camel.yaml); here a route that fails throws.
 */
public final class PlainCamelRoutes implements AutoCloseable {
    private final CamelContext camel = new DefaultCamelContext();
    private final ProducerTemplate producer;

    /** Starts the routes of these files ({@code routes/<name>.camel.yaml}) with these beans bound by name. */
    public PlainCamelRoutes(DataSource dataSource, Clock clock, Map<String, Object> beans, String... routeFiles) {
        try {
            camel.getRegistry().bind("dataSource", dataSource);
            camel.getRegistry().bind("jobSteps", new JobSteps(clock));
            SpringTransactionPolicy transaction =
                    new SpringTransactionPolicy(new DataSourceTransactionManager(dataSource));
            transaction.setPropagationBehaviorName("PROPAGATION_REQUIRED");
            camel.getRegistry().bind(JobSteps.TRANSACTION, transaction);
            beans.forEach(camel.getRegistry()::bind);
            camel.addRoutes(new RouteConfigurationBuilder() {
                @Override
                public void configuration() {
                    routeConfiguration("stage-errors");
                }
            });
            camel.start();
            for (String routes : routeFiles) {
                PluginHelper.getRoutesLoader(camel).loadRoutes(PluginHelper.getResourceLoader(camel)
                        .resolveResource("classpath:routes/" + routes + ".camel.yaml"));
            }
        } catch (Exception e) {
            camel.stop();
            throw new IllegalStateException("The routes " + String.join(", ", routeFiles) + " did not start", e);
        }
        producer = camel.createProducerTemplate();
    }

    /**
     * Runs the route behind {@code endpoint} (a direct: one, in this thread) on an exchange {@code setUp} prepares;
     * the exchange after it, or the route's failure thrown.
     */
    public Exchange send(String endpoint, Consumer<Exchange> setUp) {
        Exchange done = producer.send(endpoint, setUp::accept);
        if (done.getException() != null) {
            throw new IllegalStateException(endpoint + " failed", done.getException());
        }
        return done;
    }

    /** The context the routes run in (for a helper that sends on its own, as {@link Tokens#topUp}). */
    public CamelContext camel() {
        return camel;
    }

    @Override
    public void close() {
        camel.stop();
    }
}
