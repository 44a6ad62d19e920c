package dev.reelroute.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.junit.jupiter.api.Test;

/** What the embedded broker is given from reelroute.broker.*: security always, the acceptor only with a password. */
class EmbeddedBrokerConfigTest {
    private static ConfigurationImpl configured(EmbeddedBrokerProperties properties) {
        ConfigurationImpl configuration = new ConfigurationImpl();
        new EmbeddedBrokerConfig().embeddedBrokerSecurityAndAcceptor(properties).customize(configuration);
        return configuration;
    }

    @Test
    void withoutAPasswordTheBrokerOpensNoTcpAcceptorButItsSecurityIsOn() {
        ConfigurationImpl configuration = configured(new EmbeddedBrokerProperties(true, "127.0.0.1", 61616,
                "producer", ""));
        assertThat(configuration.getAcceptorConfigurations()).isEmpty();
        assertThat(configuration.isSecurityEnabled()).isTrue();
        assertThat(configuration.getSecurityRoles()).containsKeys("#", "reelroute.#", "reelroute.jobs.submit",
                "reelroute.job-events");
    }

    @Test
    void switchedOffTheAcceptorStaysClosedEvenWithAPassword() {
        assertThat(configured(new EmbeddedBrokerProperties(false, "127.0.0.1", 61616, "producer", "secret"))
                .getAcceptorConfigurations()).isEmpty();
    }

    @Test
    void withAPasswordTheDefaultAcceptorListensOnLoopbackPort61616() {
        ConfigurationImpl configuration = configured(new EmbeddedBrokerProperties(true, "127.0.0.1", 61616,
                "producer", "secret"));
        assertThat(configuration.getAcceptorConfigurations()).singleElement().satisfies(acceptor -> {
            TransportConfiguration transport = acceptor;
            assertThat(transport.getName()).isEqualTo(EmbeddedBrokerConfig.ACCEPTOR_NAME);
            assertThat(transport.getParams()).containsEntry("host", "127.0.0.1").containsEntry("port", "61616");
        });
        assertThat(new EmbeddedBrokerProperties(true, "127.0.0.1", 61616, "producer", "secret").toString())
                .doesNotContain("secret");
    }
}
