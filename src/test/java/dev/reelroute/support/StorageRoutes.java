package dev.reelroute.support;

import dev.reelroute.storage.RoutedStorage;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;

/**
 * A Camel context running the service's storage routes ({@code routes/storage.camel.yaml}) over one storage bound
 * as {@code storage}, as the service runs them: a storage test exercises the same routes the pipelines call.
 */
public final class StorageRoutes implements AutoCloseable {
    private final CamelContext camel = new DefaultCamelContext();

    /** Starts a context with these beans in its registry (an S3 client the endpoint names, for one). */
    public StorageRoutes(Object... namesAndBeans) {
        for (int i = 0; i < namesAndBeans.length; i += 2) {
            camel.getRegistry().bind((String) namesAndBeans[i], namesAndBeans[i + 1]);
        }
        camel.start();
    }

    /** The storage made with this context's producer, bound as {@code storage}, with the storage routes loaded. */
    public <S extends RoutedStorage> S serve(StorageFactory<S> storageOf) throws Exception {
        S storage = storageOf.make(camel.createProducerTemplate());
        camel.getRegistry().bind("storage", storage);
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                PluginHelper.getResourceLoader(camel).resolveResource("classpath:routes/storage.camel.yaml"));
        return storage;
    }

    /** Makes a storage that sends to this context's routes. */
    @FunctionalInterface
    public interface StorageFactory<S extends RoutedStorage> {
        S make(ProducerTemplate producer) throws Exception;
    }

    public CamelContext camel() {
        return camel;
    }

    @Override
    public void close() {
        camel.stop();
    }
}
