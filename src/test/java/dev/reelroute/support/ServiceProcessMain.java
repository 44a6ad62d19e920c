package dev.reelroute.support;

import dev.reelroute.ReelrouteApplication;

/**
 * The service's main, as {@link ServiceProcess} runs it, with one addition: it stops (cleanly, as on SIGTERM) when
 * its standard input closes. The test keeps that pipe open, so the death of the test JVM, however it dies, takes
 * the service with it.
 */
public final class ServiceProcessMain {
    private ServiceProcessMain() {}

    public static void main(String[] args) {
        Thread parentWatch = new Thread(() -> {
            try {
                while (System.in.read() != -1) {
                    // nothing is ever sent: end of input is the signal to stop
                }
            } catch (java.io.IOException closed) {
                // the same signal
            }
            System.exit(0);
        }, "parent-watch");
        parentWatch.setDaemon(true);
        parentWatch.start();
        ReelrouteApplication.main(args);
    }
}
