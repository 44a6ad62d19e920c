package dev.reelroute.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The service as a process of its own (this test's classpath), so a test can kill it with SIGKILL: no shutdown hook
 * runs, its broker connection and database sessions simply drop, and the FFmpeg it started is left behind. Started
 * on ports the OS picks, and returned once its readiness probe answers, as an orchestrator would wait; its output
 * goes to {@code log}, whose tail is shown when it does not start. A service that does not start is killed before
 * {@link #start} throws, and one still running when the test JVM ends (even a killed one) stops with it
 * ({@link ServiceProcessMain}, {@link ChildProcesses}).
 */
public final class ServiceProcess {
    private final Process process;
    private final int port;
    private final int managementPort;

    private ServiceProcess(Process process, int port, int managementPort) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
    }

    /**
     * Starts the service with these profiles (none: the embedded defaults) and settings as command-line arguments;
     * on the port {@code server.port} names (one started again on the same port), else one the OS picks.
     */
    public static ServiceProcess start(String profiles, Map<String, String> settings, Path log) throws Exception {
        int port = settings.containsKey("server.port") ? Integer.parseInt(settings.get("server.port")) : freePort();
        int managementPort = freePort();
        List<String> command = ChildProcesses.java("768m");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServiceProcessMain.class.getName(),
                "--server.port=" + port, "--management.server.port=" + managementPort));
        if (!profiles.isEmpty()) {
            command.add("--spring.profiles.active=" + profiles);
        }
        settings.forEach((name, value) -> {
            if (!name.equals("server.port")) {
                command.add("--" + name + "=" + value);
            }
        });
        Files.createDirectories(log.getParent());
        // its standard input stays open: ServiceProcessMain stops the service when it closes
        Process process = ChildProcesses.start(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()));
        ApiClient management = new ApiClient(managementPort);
        boolean started = false;
        try {
            try {
                Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                        .until(() -> !process.isAlive() || ready(management));
            } catch (ConditionTimeoutException notReady) {
                // reported below with the log
            }
            started = process.isAlive() && ready(management);
        } finally {
            if (!started) {
                ChildProcesses.kill(process);
            }
        }
        if (!started) {
            throw new AssertionError("The service did not start; its log:\n" + tail(log));
        }
        return new ServiceProcess(process, port, managementPort);
    }

    public ApiClient api() {
        return new ApiClient(port);
    }

    /** Its management port (actuator; Jolokia when it was started with a Hawtio password). */
    public ApiClient management() {
        return new ApiClient(managementPort);
    }

    public int managementPort() {
        return managementPort;
    }

    /** SIGKILL, and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** A clean stop (SIGTERM), then SIGKILL if it does not end within 60 s; whether it ended cleanly. */
    public boolean stop() throws InterruptedException {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            return true;
        }
        kill();
        return false;
    }

    private static boolean ready(ApiClient management) throws Exception {
        try {
            return management.get("/actuator/health/readiness", null).status() == 200;
        } catch (IOException notYet) {
            return false; // still starting
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
