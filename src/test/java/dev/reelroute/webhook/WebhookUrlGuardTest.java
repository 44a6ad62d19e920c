package dev.reelroute.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelroute.config.ReelrouteProperties;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WebhookUrlGuardTest {
    private static WebhookUrlGuard guard(boolean allowInsecure) {
        return new WebhookUrlGuard(new ReelrouteProperties(null, null, null, null, null, null, null, null, null, null, null,
                null, new ReelrouteProperties.Webhooks(allowInsecure, java.util.List.of(), 0, null, 1), null, null, null, null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.0.0.1", "172.16.5.4", "172.31.255.255", "192.168.0.1",
            "169.254.169.254", "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1",
            "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1"})
    void internalAddressesAreRecognised(String address) throws Exception {
        assertThat(WebhookUrlGuard.isInternal(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:2800:220:1::1"})
    void publicAddressesAreAllowed(String address) throws Exception {
        assertThat(WebhookUrlGuard.isInternal(InetAddress.getByName(address))).isFalse();
    }

    @Test
    void urlsMustBeHttpsAndPublic() {
        WebhookUrlGuard strict = guard(false);
        assertThat(strict.check("https://93.184.216.34/hooks?x=1").toString()).isEqualTo("https://93.184.216.34/hooks?x=1");
        assertThatThrownBy(() -> strict.check("http://93.184.216.34/hooks")).hasMessageContaining("https://");
        assertThatThrownBy(() -> strict.check("https://localhost/hooks")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> strict.check("https://[::1]/hooks")).hasMessageContaining("loopback");
        assertThatThrownBy(() -> strict.check("https://user:pw@93.184.216.34/")).hasMessageContaining("credentials");
        assertThatThrownBy(() -> strict.check("ftp://93.184.216.34/")).hasMessageContaining("https://");
        assertThatThrownBy(() -> strict.check("/relative")).hasMessageContaining("https://");
        assertThatThrownBy(() -> strict.check("https://" + "a".repeat(3000) + ".com/")).hasMessageContaining("longer");
    }

    @Test
    void allowInsecureUrlsLiftsBothRulesForLocalTesting() {
        WebhookUrlGuard lenient = guard(true);
        assertThat(lenient.check("http://127.0.0.1:9000/hook").getPort()).isEqualTo(9000);
        assertThatThrownBy(() -> lenient.check("file:///etc/passwd")).hasMessageContaining("https://");
    }
}
