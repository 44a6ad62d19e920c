package dev.reelroute.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.FileSystemUtils;

/**
 * A real S3-compatible server for the tests: s3proxy's jar-with-dependencies (copied to target/s3proxy by the build)
 * run as a process of its own, on a free port of 127.0.0.1, with a filesystem backend in a temporary directory and
 * credentials made up for the run. The first test class that uses it starts it; it stops when the test run ends.
 */
public final class S3ProxyExtension implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(S3ProxyExtension.class);
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);

    private static volatile Server running;

    /** Where the server answers and the credentials it accepts. */
    public record Server(URI endpoint, String accessKey, String secretKey) {
        /** The settings that point the app at this server, with its own bucket (created on first use). */
        public void register(DynamicPropertyRegistry registry, String bucket) {
            registry.add("reelroute.storage.s3.bucket", () -> bucket);
            registry.add("reelroute.storage.s3.region", () -> "us-east-1");
            registry.add("reelroute.storage.s3.endpoint", endpoint::toString);
            registry.add("reelroute.storage.s3.path-style-access", () -> "true");
            registry.add("reelroute.storage.s3.access-key", this::accessKey);
            registry.add("reelroute.storage.s3.secret-key", this::secretKey);
            registry.add("reelroute.storage.s3.auto-create-bucket", () -> "true");
        }

        @Override
        public String toString() {
            return "S3Proxy[" + endpoint + "]";
        }
    }

    /** The server the extension started (declare {@code @ExtendWith(S3ProxyExtension.class)} on the test class). */
    public static Server server() {
        Server server = running;
        if (server == null) {
            throw new IllegalStateException("s3proxy is not running: add @ExtendWith(S3ProxyExtension.class) to the test");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // the root store lives for the whole run: one server for every class, closed after the last one
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(S3ProxyProcess.class, key -> S3ProxyProcess.start(),
                S3ProxyProcess.class);
    }

    private static final class S3ProxyProcess implements ExtensionContext.Store.CloseableResource {
        private final Process process;
        private final Path dir;

        private S3ProxyProcess(Process process, Path dir) {
            this.process = process;
            this.dir = dir;
        }

        static S3ProxyProcess start() {
            Path jar = Path.of(System.getProperty("reelroute.s3proxy.jar", "target/s3proxy/s3proxy.jar"));
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar.toAbsolutePath() + " is missing: the build copies it there"
                        + " (mvn test-compile, or any later phase)");
            }
            try {
                Path dir = Files.createTempDirectory("reelroute-s3proxy-");
                String accessKey = "reelroute-test-" + randomHex(4);
                String secretKey = randomHex(20);
                // another process may take the free port before s3proxy binds it: then try another one
                IllegalStateException failure = null;
                for (int attempt = 0; attempt < 3; attempt++) {
                    try {
                        return launch(jar, dir, new Server(URI.create("http://127.0.0.1:" + freePort()), accessKey,
                                secretKey));
                    } catch (IllegalStateException notUp) {
                        failure = notUp;
                    }
                }
                throw failure;
            } catch (IOException e) {
                throw new IllegalStateException("could not start s3proxy", e);
            }
        }

        private static S3ProxyProcess launch(Path jar, Path dir, Server server) throws IOException {
            Path data = Files.createDirectories(dir.resolve("data"));
            Properties settings = new Properties();
            settings.setProperty("s3proxy.endpoint", server.endpoint().toString());
            settings.setProperty("s3proxy.authorization", "aws-v2-or-v4");
            settings.setProperty("s3proxy.identity", server.accessKey());
            settings.setProperty("s3proxy.credential", server.secretKey());
            settings.setProperty("jclouds.provider", "filesystem");
            settings.setProperty("jclouds.filesystem.basedir", data.toString());
            Path config = dir.resolve("s3proxy.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                settings.store(out, "written by S3ProxyExtension");
            }
            Path log = dir.resolve("s3proxy.log");
            List<String> command = ChildProcesses.java("256m");
            command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "--properties", config.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("LOG_LEVEL", "warn");
            Process process = ChildProcesses.start(builder);
            S3ProxyProcess started = new S3ProxyProcess(process, dir);
            try {
                started.awaitAnswer(server.endpoint(), log);
            } catch (RuntimeException notUp) {
                started.close();
                throw notUp;
            }
            running = server;
            return started;
        }

        /** Up when it answers an anonymous request with S3's refusal (a port taken by something else would not). */
        private void awaitAnswer(URI endpoint, Path log) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            try {
                Awaitility.await().atMost(STARTUP_LIMIT).pollInterval(Duration.ofMillis(100))
                        .until(() -> !process.isAlive() || refuses(http, endpoint));
                if (process.isAlive()) {
                    return;
                }
            } catch (ConditionTimeoutException notUp) {
                // reported below with the log
            }
            throw new IllegalStateException("s3proxy did not come up on " + endpoint + ":\n" + tail(log));
        }

        private static boolean refuses(HttpClient http, URI endpoint) throws InterruptedException {
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(endpoint)
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                return answer.statusCode() == 403 && answer.body().contains("AccessDenied");
            } catch (IOException notYet) {
                return false; // not listening yet
            }
        }

        @Override
        public void close() {
            running = null;
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            FileSystemUtils.deleteRecursively(dir.toFile());
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }

        private static String randomHex(int bytes) {
            byte[] random = new byte[bytes];
            new SecureRandom().nextBytes(random);
            return HexFormat.of().formatHex(random);
        }

        private static String tail(Path log) {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }
}
