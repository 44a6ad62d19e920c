package dev.reelroute.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelroute.config.ReelrouteProperties;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WebhookUrlGuardTest {
    private static WebhookUrlGuard guard(boolean allowInsecure) {
        return new WebhookUrlGuard(properties(allowInsecure));
    }

    private static ReelrouteProperties properties(boolean allowInsecure) {
        return new ReelrouteProperties(null, null, null, null, null, null, null, null, null, null, null,
                null, new ReelrouteProperties.Webhooks(allowInsecure, java.util.List.of(), 0, null, 1), null, null, null, null, null);
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

    /** IPv6 forms that carry an internal IPv4 address, which a translator or relay on the way may deliver to. */
    @ParameterizedTest
    @ValueSource(strings = {
            "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::169.254.169.254", // NAT64 well-known prefix
            "64:ff9b:1::7f00:1", "64:ff9b:1:2:3:4:808:808",                 // local-use NAT64 (RFC 8215), any
            "2002:7f00:1::", "2002:a9fe:a9fe::1", "2002:c0a8:101:1::1",     // 6to4 of 127.0.0.1, 169.254.169.254, 192.168.1.1
            "2001:0:7f00:1:0:0:f7f7:f7f7",   // Teredo whose server is 127.0.0.1 (client 8.8.8.8)
            "2001:0:808:808:0:0:80ff:fffe",  // Teredo whose client is 127.0.0.1 (stored inverted), server 8.8.8.8
            "::127.0.0.1", "::10.0.0.1", "::a9fe:a9fe",                     // IPv4-compatible
            "::ffff:0:127.0.0.1"})                                          // IPv4-translated
    void ipv6FormsCarryingAnInternalIpv4AreInternal(String address) throws Exception {
        assertThat(WebhookUrlGuard.isInternal(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"64:ff9b::808:808", "2002:808:808::1", "2001:0:808:808:0:0:f7f7:f7f7", "::8.8.8.8"})
    void ipv6FormsCarryingAPublicIpv4AreAllowed(String address) throws Exception {
        assertThat(WebhookUrlGuard.isInternal(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://[64:ff9b::7f00:1]:28999/a", "https://[2002:7f00:1::]/a",
            "https://[2001:0:7f00:1::f7f7:f7f7]/a", "https://[::127.0.0.1]/a", "https://[64:ff9b:1::a00:1]/a"})
    void webhookUrlsWithTheseIpv6FormsAreRefused(String url) {
        assertThatThrownBy(() -> guard(false).check(url)).hasMessageContaining("must not point at a loopback");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://0177.0.0.1/", "https://0177.0.0.01/hook", "https://010.0.0.1/",
            "https://2130706433/", "https://93.184.216.034/"})
    void ipv4HostsMustBeFourDecimalOctetsWithoutLeadingZeros(String url) {
        assertThatThrownBy(() -> guard(false).check(url)).hasMessageContaining("without leading zeros");
        assertThatThrownBy(() -> guard(false).check(url, "image")).hasMessageStartingWith("image ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://0x7f.0.0.1/", "https://127.1/"})
    void hostsJavaCannotReadAsAHostNameAreRefusedToo(String url) {
        // java.net.URI sees no server-based host here (a last label starting with a digit)
        assertThatThrownBy(() -> guard(false).check(url)).hasMessageContaining("absolute https:// URL");
    }

    @Test
    void everyAddressComesFromTheResolverSoAChangedAnswerIsSeenAtTheNextCheck() {
        AtomicReference<String> answer = new AtomicReference<>("93.184.216.34");
        WebhookUrlGuard guard = new WebhookUrlGuard(properties(false),
                host -> new InetAddress[] {InetAddress.getByName(answer.get())});
        assertThat(guard.check("https://hooks.example.com/x").getHost()).isEqualTo("hooks.example.com");
        answer.set("64:ff9b::a9fe:a9fe");
        assertThatThrownBy(() -> guard.check("https://hooks.example.com/x")).hasMessageContaining("loopback");
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
