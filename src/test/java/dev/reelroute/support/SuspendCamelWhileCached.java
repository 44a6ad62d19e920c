package dev.reelroute.support;

import org.apache.camel.CamelContext;
import org.springframework.context.ApplicationContext;
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
     * After the dependency injection listener has taken the context from the cache (or started it): never earlier, since
     * loading it in beforeTestClass would start the service before the class's own extensions (a broker, an S3 server)
     * have started what it connects to.
     */
    @Override
    public void prepareTestInstance(TestContext testContext) {
        resume(testContext);
    }

    @Override
    public void beforeTestMethod(TestContext testContext) {
        resume(testContext);
    }

    @Override
    public void afterTestClass(TestContext testContext) {
        if (!testContext.hasApplicationContext()) {
            return;
        }
        CamelContext camel = camelOf(testContext.getApplicationContext());
        if (camel != null && camel.isStarted()) {
            camel.suspend();
        }
    }

    private static void resume(TestContext testContext) {
        if (!testContext.hasApplicationContext()) {
            return;
        }
        CamelContext camel = camelOf(testContext.getApplicationContext());
        if (camel != null && camel.isSuspended()) {
            camel.resume();
        }
    }

    private static CamelContext camelOf(ApplicationContext context) {
        return context.getBeanProvider(CamelContext.class).getIfAvailable();
    }
}
