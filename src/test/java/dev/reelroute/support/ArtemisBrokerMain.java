package dev.reelroute.support;

import java.nio.file.Path;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;

/**
 * The production broker of the repository's {@code artemis/} folder (broker.xml, login.config, the users and roles
 * files, all unchanged) in a JVM of its own, the way {@code artemis run} starts it. {@link ExternalArtemis} launches
 * it with the data dir and port as system properties that broker.xml reads. It stops when its standard input
 * closes: the test closes it, and so does the death of the test JVM, so no broker outlives its tests.
 *
 * <p>Argument: the folder holding broker.xml and login.config.
 */
public final class ArtemisBrokerMain {
    /** The login.config domain; bootstrap.xml's {@code <jaas-security domain="activemq"/>} in an artemis instance. */
    private static final String JAAS_DOMAIN = "activemq";

    private ArtemisBrokerMain() {}

    public static void main(String[] args) throws Exception {
        Path configDir = Path.of(args[0]).toAbsolutePath();
        // the properties login module reads the users and roles files from login.config's own folder
        System.setProperty("java.security.auth.login.config", configDir.resolve("login.config").toString());
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfigResourcePath(configDir.resolve("broker.xml").toUri().toString());
        broker.setSecurityManager(new ActiveMQJAASSecurityManager(JAAS_DOMAIN));
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(broker), "artemis-shutdown"));
        while (System.in.read() != -1) {
            // nothing is ever sent: end of input is the signal to stop
        }
        stop(broker);
        System.exit(0);
    }

    private static synchronized void stop(EmbeddedActiveMQ broker) {
        try {
            broker.stop();
        } catch (Exception e) {
            e.printStackTrace();
        }
    }
}
