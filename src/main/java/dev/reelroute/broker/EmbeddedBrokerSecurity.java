package dev.reelroute.broker;

import dev.reelroute.security.Secrets;
import java.util.Set;
import javax.security.auth.Subject;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnection;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager5;
import org.apache.activemq.artemis.spi.core.security.jaas.RolePrincipal;
import org.apache.activemq.artemis.spi.core.security.jaas.UserPrincipal;
import org.apache.activemq.artemis.utils.SecurityManagerUtil;

/**
 * Who the embedded broker lets in. A connection from inside this JVM (the service's own in-VM connections) is the
 * service, role {@value #SERVICE_ROLE}; a TCP client must log in as the producers' user with its password (compared
 * in constant time) and gets role {@value #PRODUCER_ROLE}, the role of artemis/broker.xml's producers. What each
 * role may do on which address is in {@link EmbeddedBrokerConfig}'s security settings.
 */
final class EmbeddedBrokerSecurity implements ActiveMQSecurityManager5 {
    static final String SERVICE_ROLE = "reelroute";
    static final String PRODUCER_ROLE = "reelroute-producer";
    private static final String SERVICE_USER = "reelroute-service";

    private final String producerUser;
    private final String producerPassword;

    EmbeddedBrokerSecurity(String producerUser, String producerPassword) {
        this.producerUser = producerUser;
        this.producerPassword = producerPassword;
    }

    @Override
    public Subject authenticate(String user, String password, RemotingConnection connection, String securityDomain) {
        if (connection != null && connection.getTransportConnection() instanceof InVMConnection) {
            return subject(SERVICE_USER, SERVICE_ROLE);
        }
        boolean passwordSet = producerPassword != null && !producerPassword.isBlank();
        // both compared always, so a wrong user takes as long as a wrong password
        boolean userMatches = Secrets.constantTimeEquals(producerUser, user);
        boolean passwordMatches = Secrets.constantTimeEquals(producerPassword, password);
        return passwordSet && userMatches && passwordMatches ? subject(producerUser, PRODUCER_ROLE) : null;
    }

    @Override
    public boolean authorize(Subject subject, Set<Role> roles, CheckType checkType, String address) {
        return SecurityManagerUtil.authorize(subject, roles, checkType, RolePrincipal.class);
    }

    /** Only the Subject-based methods above are called (security manager 5); these older ones refuse. */
    @Override
    public boolean validateUser(String user, String password) {
        return false;
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return false;
    }

    private static Subject subject(String user, String role) {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        subject.getPrincipals().add(new RolePrincipal(role));
        return subject;
    }
}
