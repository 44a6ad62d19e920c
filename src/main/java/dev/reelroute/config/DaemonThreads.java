package dev.reelroute.config;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Named daemon threads for the service's own small pools, so they show up by name and never block shutdown. */
public final class DaemonThreads implements ThreadFactory {
    private final String name;
    private final AtomicInteger counter = new AtomicInteger();

    public DaemonThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
