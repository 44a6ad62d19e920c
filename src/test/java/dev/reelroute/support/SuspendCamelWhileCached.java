package dev.reelroute.support;

import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Suspends a test context's Camel routes while the context waits in Spring's test context cache for its next class,
 * and resumes them when a class takes it again. Suspended, its JMS consumers and timers stop polling: an idle
 * context otherwise spends about 0.8 CPU-s every 30 s, and up to 26 of them wait on the two cores by the end of the
 * suite (docs/testing.md, "Idle contexts suspended"). Spring Framework 7 pauses cached contexts itself; 6.2 does not.
 */
public class SuspendCamelWhileCached extends AbstractTestExecutionListener {

    /**
     * After the dependency injection listener has taken the context from the cache (or started it): never earlier,
     * since loading it in beforeTestClass would start the service before the class's own extensions (a broker, an S3
     * server) have started what it connects to.
     */
    @Override
    public void prepareTestInstance(TestContext testContext) {
        whenCamel(testContext, CamelContext::isSuspended, CamelContext::resume);
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        whenCamel(testContext, CamelContext::isSuspended, CamelContext::resume);
    }

    @Override
    public void afterTestClass(TestContext testContext) {
        whenCamel(testContext, CamelContext::isStarted, CamelContext::suspend);
    }

    /** Changes the state of the context's Camel context, if it has one in that state; never loads the context. */
    private static void whenCamel(TestContext testContext, Predicate<CamelContext> state,
                                  Consumer<CamelContext> change) {
        if (!testContext.hasApplicationContext()) {
            return;
        }
        CamelContext camel = testContext.getApplicationContext().getBeanProvider(CamelContext.class).getIfAvailable();
        if (camel != null && state.test(camel)) {
            change.accept(camel);
        }
    }
}
