package dev.reelroute.provider;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupSummaryLevel;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/**
 * The provider-http routes as the application runs them (the same YAML, the same beans), in a plain Camel context
 * whose providers both have {@code settings}: for the tests that speak to a scripted provider without Spring.
 */
final class ProviderRoutes implements AutoCloseable {
    private final DefaultCamelContext context = new DefaultCamelContext();
    private final ProducerTemplate template;
    private final List<ProviderHttpClient> clients = new ArrayList<>();

    ProviderRoutes(ProviderSettings settings) {
        this(settings, ProviderCallObserver.NONE);
    }

    /** {@code calls} hears of every HTTP attempt, as the provider metrics do. */
    ProviderRoutes(ProviderSettings settings, ProviderCallObserver calls) {
        try {
            context.setStreamCaching(true);
            context.setStartupSummaryLevel(StartupSummaryLevel.Off);
            Registry beans = context.getRegistry();
            for (ProviderName provider : ProviderName.values()) {
                ProviderHttpClient client = new ProviderHttpClient(provider, settings, calls);
                clients.add(client);
                beans.bind(provider.id() + "HttpClient", client);
                beans.bind(provider.id() + "Redeliveries", ProviderHttp.redeliveryPolicy(settings));
            }
            beans.bind("providerHeaders", new ProviderHeaders());
            beans.bind("providerCallSteps", new ProviderCallSteps());
            for (String file : new String[] {"error-handling", "provider-http"}) {
                PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context,
                        "classpath:routes/" + file + ".camel.yaml"));
            }
            context.start();
            template = context.createProducerTemplate();
        } catch (Exception e) {
            close();
            throw new IllegalStateException("the provider-http routes did not start", e);
        }
    }

    ProducerTemplate template() {
        return template;
    }

    @Override
    public void close() {
        context.stop();
        clients.forEach(ProviderHttpClient::close);
    }
}
