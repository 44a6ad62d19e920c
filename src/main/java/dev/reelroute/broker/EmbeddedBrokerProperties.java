package dev.reelroute.broker;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The embedded broker's TCP acceptor for producers in other processes, {@code reelroute.broker.*} in application.yaml.
 * It opens only when {@code tcpEnabled} and a password is set: a TCP client always logs in.
 *
 * @param tcpEnabled false keeps the broker in-VM whatever else is set
 * @param tcpHost    interface the acceptor binds to
 * @param tcpPort    its port
 * @param user       the producers' user name
 * @param password   its password; empty leaves the acceptor closed
 */
@ConfigurationProperties(prefix = "reelroute.broker")
public record EmbeddedBrokerProperties(boolean tcpEnabled, String tcpHost, int tcpPort, String user, String password) {
    public EmbeddedBrokerProperties {
        if (tcpPort < 0 || tcpPort > 65535) {
            throw new IllegalArgumentException("reelroute.broker.tcp-port must be within 0..65535: " + tcpPort);
        }
        if (tcpEnabled && hasText(password) && !hasText(user)) {
            throw new IllegalArgumentException("reelroute.broker.user must be set with reelroute.broker.password");
        }
    }

    /** Whether the acceptor opens: asked for, and a password to log in with. */
    public boolean acceptorOpen() {
        return tcpEnabled && hasText(password);
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    @Override
    public String toString() {
        // never the password
        return "EmbeddedBrokerProperties[tcpEnabled=" + tcpEnabled + ", tcpHost=" + tcpHost + ", tcpPort=" + tcpPort
                + ", user=" + user + "]";
    }
}
