package dev.reelroute.broker;

import static dev.reelroute.broker.EmbeddedBrokerSecurity.PRODUCER_ROLE;
import static dev.reelroute.broker.EmbeddedBrokerSecurity.SERVICE_ROLE;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded broker (Spring Boot's, in-VM) with security on and, when a password is set, a TCP acceptor for
 * enterprise producers. The permissions are artemis/broker.xml's: the service may do everything (it reaches the
 * broker in-VM only); a producer may send to reelroute.jobs.submit, subscribe to reelroute.job-events, and create,
 * read and delete temporary reply queues, and nothing else.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "spring.artemis.embedded.enabled", havingValue = "true", matchIfMissing = true)
public class EmbeddedBrokerConfig {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBrokerConfig.class);
    public static final String ACCEPTOR_NAME = "reelroute-producers";
    static final String CLIPS_QUEUE = "reelroute.clips";

    @Bean
    ArtemisConfigurationCustomizer embeddedBrokerSecurityAndAcceptor(EmbeddedBrokerProperties properties) {
        return configuration -> {
            configuration.setSecurityEnabled(true);
            // no caches: Artemis keys a login by user, password and certificate only, so the service's in-VM login
            // (no credentials) would be handed to an anonymous TCP client. Both checks are in-memory lookups.
            configuration.setSecurityInvalidationInterval(0);
            securitySettings().forEach(configuration::putSecurityRoles);
            // a clip takes seconds to minutes: no consumer buffers clips its siblings (or other instances) could take
            configuration.addAddressSetting(CLIPS_QUEUE, new AddressSettings().setDefaultConsumerWindowSize(0));
            String where = "tcp://" + properties.tcpHost() + ":" + properties.tcpPort();
            if (properties.acceptorOpen()) {
                // the core protocol: Artemis JMS clients and the artemis CLI
                try {
                    configuration.addAcceptorConfiguration(ACCEPTOR_NAME, where + "?protocols=CORE");
                } catch (Exception badUri) {
                    throw new IllegalStateException("reelroute.broker.tcp-host/-port give no acceptor URI: " + where,
                            badUri);
                }
                log.info("The embedded broker accepts JMS producers on {} as user '{}'", where, properties.user());
            } else if (!properties.tcpEnabled()) {
                log.info("The embedded broker is in-VM only: its TCP acceptor is switched off "
                        + "(REELROUTE_BROKER_TCP_ENABLED=false)");
            } else {
                log.info("The embedded broker is in-VM only: set REELROUTE_BROKER_PASSWORD (and optionally "
                        + "REELROUTE_BROKER_USER, default 'producer') to accept JMS producers on {}", where);
            }
        };
    }

    /** Sets the security manager before Spring starts the broker (its init method). */
    @Bean
    static BeanPostProcessor embeddedBrokerSecurityManager(ObjectProvider<EmbeddedBrokerProperties> properties) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof EmbeddedActiveMQ broker) {
                    EmbeddedBrokerProperties settings = properties.getObject();
                    broker.setSecurityManager(new EmbeddedBrokerSecurity(settings.user(), settings.password()));
                }
                return bean;
            }
        };
    }

    /** Address match to roles, the most specific match winning (settings are not merged). */
    static Map<String, Set<Role>> securitySettings() {
        Role service = new Role(SERVICE_ROLE, true, true, true, true, true, true, true, true, true, true, true, true);
        Map<String, Set<Role>> settings = new LinkedHashMap<>();
        // anything else is a producer's temporary reply queue (a random name per queue), or the service's own
        settings.put("#", Set.of(service, temporaryQueues()));
        // the service's queues, dead letters and the management address: the service's alone
        settings.put("reelroute.#", Set.of(service));
        settings.put("DLQ", Set.of(service));
        settings.put("ExpiryQueue", Set.of(service));
        settings.put("activemq.#", Set.of(service));
        settings.put("reelroute.jobs.submit", Set.of(service, producer(true, false, false)));
        // a subscription is a non-durable queue of the subscriber's own
        settings.put("reelroute.job-events", Set.of(service, producer(false, true, true)));
        return settings;
    }

    /** A temporary queue is an address and a non-durable queue of the same random name, made by its client. */
    private static Role temporaryQueues() {
        return new Role(PRODUCER_ROLE, false, true, false, false, true, true, false, false, true, false, false, false);
    }

    private static Role producer(boolean send, boolean consume, boolean nonDurableQueues) {
        return new Role(PRODUCER_ROLE, send, consume, false, false, nonDurableQueues, nonDurableQueues, false, false,
                false, false, false, false);
    }
}
