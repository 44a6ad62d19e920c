package dev.reelroute.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every process a test starts (a service, a broker, a database or S3 server, a client JVM, an FFmpeg) is started
 * here: the ones still running when the test JVM exits, however the tests ended, are killed with their own children,
 * so none outlives the run. Tests still stop what they start; this is the net under a failed or timed-out stop.
 */
public final class ChildProcesses {
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::killAll, "child-processes-reaper"));
    }

    private ChildProcesses() {}

    /**
     * The start of a command running this JDK's java with at most {@code maxHeap}: the client compiler only and the
     * serial collector, as the service's own start-up flags (pom.xml), since these JVMs live for one test or class
     * and spend much of it starting (a service process was ready in about 0.85 of the time on the 2-core machine).
     */
    public static List<String> java(String maxHeap) {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    }

    public static Process start(ProcessBuilder builder) throws IOException {
        Process process = builder.start();
        RUNNING.add(process);
        process.onExit().thenRun(() -> RUNNING.remove(process));
        return process;
    }

    /** SIGKILL to the process and whatever it started, waiting (briefly) until it is gone. */
    public static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        try {
            process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void killAll() {
        RUNNING.forEach(process -> {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        });
    }
}
