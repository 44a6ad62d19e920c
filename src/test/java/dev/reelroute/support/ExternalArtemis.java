package dev.reelroute.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.util.FileSystemUtils;

/**
 * A real, standalone Artemis broker for a test class: the repository's {@code artemis/broker.xml} with its security
 * files, run by {@link ArtemisBrokerMain} in a JVM of its own and reached over TCP, as the {@code artemis} profile
 * reaches a production broker. Only the data dir (a fresh temporary folder) and the port (a free one) differ; the
 * test classpath has no AMQP module, so the acceptor serves the core protocol only (the broker's log says so).
 * Its log is {@code broker.log} in the data dir, printed when the broker fails to start.
 *
 * <p>Register it as a static field with {@code @RegisterExtension}; it starts before the class's Spring context and
 * is stopped when the class's extension context closes, after Spring's {@code @DirtiesContext} has closed a context
 * that used it.
 */
public final class ExternalArtemis implements BeforeAllCallback {
    /** Dev-only credentials of artemis/artemis-users.properties; a production broker has its own. */
    public static final String APP_USER = "reelroute";
    public static final String APP_PASSWORD = "reelroute-dev-only";
    public static final String PRODUCER_USER = "producer";
    public static final String PRODUCER_PASSWORD = "producer-dev-only";
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin-dev-only";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ExternalArtemis.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private BrokerProcess broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        broker = context.getStore(NAMESPACE).getOrComputeIfAbsent(BrokerProcess.class, key -> BrokerProcess.start(),
                BrokerProcess.class);
    }

    /** The URL clients connect to, e.g. {@code tcp://127.0.0.1:40123}. */
    public String url() {
        return "tcp://127.0.0.1:" + broker().port;
    }

    /**
     * The URL a service instance is given: this broker with the client options docs/storage-broker-database.md asks
     * of an operator's own URL (no buffered job messages; a refused connection fails at once).
     */
    public String serviceUrl() {
        return url() + "?consumerWindowSize=0&useTopologyForLoadBalancing=false";
    }

    /**
     * The messages on {@code queues}, together, as the broker counts them (waiting, scheduled for later and being
     * delivered), asked over its management address as the admin user, in one session.
     */
    public long messageCount(List<String> queues) throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url());
             ClientSessionFactory factory = locator.createSessionFactory();
             ClientSession session = factory.createSession(ADMIN_USER, ADMIN_PASSWORD, false, true, true, false, 1);
             ClientRequestor requestor = new ClientRequestor(session, "activemq.management")) {
            session.start();
            long count = 0;
            for (String queue : queues) {
                ClientMessage request = session.createMessage(false);
                ManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, "messageCount");
                ClientMessage reply = requestor.request(request, Duration.ofSeconds(10).toMillis());
                if (reply == null || !ManagementHelper.hasOperationSucceeded(reply)) {
                    throw new IllegalStateException("The broker did not answer the message count of " + queue);
                }
                count += ((Number) ManagementHelper.getResult(reply)).longValue();
            }
            return count;
        }
    }

    /** Stops the broker cleanly and starts it again on the same port and data: its messages survive. */
    public void restart() {
        broker().stop();
        broker().launch();
    }

    /** SIGKILL, as a crash or the OOM killer ends it: no clean shutdown; the data dir stays for {@link #start()}. */
    public void kill() {
        broker().kill();
    }

    /** Starts the broker again on the same port and data dir (after {@link #kill()}); returns once it accepts. */
    public void start() {
        broker().launch();
    }

    private BrokerProcess broker() {
        if (broker == null) {
            throw new IllegalStateException("The broker starts in beforeAll; register the extension as a static field");
        }
        return broker;
    }

    /** The broker process and its data dir; closing it stops the broker and deletes the data. */
    private static final class BrokerProcess implements ExtensionContext.Store.CloseableResource {
        private final int port;
        private final Path dataDir;
        private final Path log;
        private Process process;

        private BrokerProcess(int port, Path dataDir) {
            this.port = port;
            this.dataDir = dataDir;
            this.log = dataDir.resolve("broker.log");
        }

        static BrokerProcess start() {
            try {
                BrokerProcess broker = new BrokerProcess(freePort(), Files.createTempDirectory("reelroute-artemis-"));
                broker.launch();
                return broker;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void launch() {
            Path configDir = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("artemis");
            List<String> command = ChildProcesses.java("256m");
            command.addAll(List.of(
                    "-DARTEMIS_DATA_DIR=" + dataDir,
                    "-DARTEMIS_ACCEPTOR_HOST=127.0.0.1",
                    "-DARTEMIS_ACCEPTOR_PORT=" + port,
                    "-Dlogback.configurationFile=standalone-artemis-logback.xml",
                    "-cp", testClasspath(),
                    ArtemisBrokerMain.class.getName(),
                    configDir.toString()));
            try {
                process = ChildProcesses.start(new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
                awaitAcceptor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Surefire runs tests from a manifest-only jar; the real classpath is in this property. */
        private static String testClasspath() {
            return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }

        /** The acceptor opens last, once the journal is loaded and the addresses deployed: then the broker is ready. */
        private void awaitAcceptor() throws IOException {
            try {
                Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                        .until(() -> !process.isAlive() || accepting());
            } catch (ConditionTimeoutException closed) {
                stop();
                throw new IllegalStateException("The Artemis broker did not open port " + port + " within "
                        + START_TIMEOUT + ":\n" + Files.readString(log));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("The Artemis broker exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
        }

        private boolean accepting() {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }

        /** End of its standard input stops the broker cleanly; a broker that does not stop is killed. */
        void stop() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        void kill() {
            try {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            try {
                stop();
            } finally {
                FileSystemUtils.deleteRecursively(dataDir.toFile());
            }
        }
    }
}
