package dev.reelroute.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.reelroute.config.ReelrouteProperties;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Any webhook or input URL text: an https URL without credentials whose host resolves only to public addresses, or a
 * {@link WebhookUrlGuard.RejectedUrlException} with a message; nothing else. Names never reach DNS: a literal address
 * stands for itself, and any other name resolves to addresses picked from the name (some internal, some public), so
 * the fuzzer also drives the check of every resolved address.
 */
class WebhookUrlGuardFuzzTest {
    private static final List<byte[]> NAME_ANSWERS = List.of(new byte[] {93, (byte) 184, (byte) 216, 34},
            new byte[] {127, 0, 0, 1}, new byte[] {10, 1, 2, 3}, new byte[] {(byte) 169, (byte) 254, (byte) 169,
                    (byte) 254}, new byte[] {8, 8, 8, 8});
    private static final HostResolver NO_DNS = WebhookUrlGuardFuzzTest::resolveWithoutDns;
    private static final WebhookUrlGuard GUARD = new WebhookUrlGuard(new ReelrouteProperties(null, null, null, null,
            null, null, null, null, null, null, null, null,
            new ReelrouteProperties.Webhooks(false, List.of(), 0, null, 1), null, null, null, null, null), NO_DNS);

    @FuzzTest(maxDuration = "10m")
    void urlIsPublicHttpsOrRejected(byte[] input) throws Exception {
        // raw bytes, not a String parameter: the committed inputs are then the exact text, readable as such
        String url = new String(input, java.nio.charset.StandardCharsets.UTF_8);
        URI accepted;
        try {
            accepted = GUARD.check(url);
        } catch (WebhookUrlGuard.RejectedUrlException rejected) {
            assertThat(rejected.getMessage()).startsWith("webhookUrl ");
            return;
        }
        assertThat(accepted.getScheme().toLowerCase(Locale.ROOT)).isEqualTo("https");
        assertThat(accepted.getUserInfo()).isNull();
        assertThat(url.length()).isLessThanOrEqualTo(WebhookUrlGuard.MAX_URL_LENGTH);
        for (InetAddress address : resolveWithoutDns(accepted.getHost())) {
            assertThat(address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress() || address.isMulticastAddress())
                    .as("%s accepted with host %s", url, address).isFalse();
        }
    }

    /** A numeric host other than four decimal octets never resolves here (InetAddress would look it up). */
    private static InetAddress dottedQuad(String host) throws UnknownHostException {
        String[] octets = host.split("\\.", -1);
        if (octets.length != 4) {
            throw new UnknownHostException("not a dotted quad");
        }
        byte[] address = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (octets[i].isEmpty() || octets[i].length() > 3 || Integer.parseInt(octets[i]) > 255) {
                throw new UnknownHostException("not a dotted quad");
            }
            address[i] = (byte) Integer.parseInt(octets[i]);
        }
        return InetAddress.getByAddress(host, address);
    }

    private static InetAddress[] resolveWithoutDns(String host) throws UnknownHostException {
        if (host.startsWith("[")) {
            // a bracketed literal is parsed, never looked up: InetAddress refuses an invalid one itself
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        if (host.matches("[0-9.]+")) {
            return new InetAddress[] {dottedQuad(host)};
        }
        if (host.contains(":")) {
            throw new UnknownHostException("not a name");
        }
        int pick = Math.floorMod(host.toLowerCase(Locale.ROOT).hashCode(), NAME_ANSWERS.size() + 1);
        if (pick == NAME_ANSWERS.size()) {
            throw new UnknownHostException("no such name");
        }
        return new InetAddress[] {InetAddress.getByAddress(host, NAME_ANSWERS.get(pick))};
    }
}
