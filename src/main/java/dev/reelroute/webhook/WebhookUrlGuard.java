package dev.reelroute.webhook;

import dev.reelroute.config.ReelrouteProperties;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Webhook URLs must be https and must not lead into the service's own network: loopback, private, link-local
 * (which includes the 169.254.169.254 metadata address), unique-local, CGNAT, multicast or unspecified
 * addresses are refused, for every address the host name resolves to; so are IPv6 addresses that carry an internal
 * IPv4 address (IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64 64:ff9b::/96, 6to4 2002::/16, either address
 * of Teredo 2001::/32) and the local-use NAT64 prefix 64:ff9b:1::/48 as a whole. A host written as numbers must be
 * four decimal octets without leading zeros: {@code 0177.0.0.1} is 177.0.0.1 to Java but 127.0.0.1 to other
 * parsers (inet_aton, curl), so such spellings are refused rather than guessed at. Checked at job creation and again
 * before each delivery (DNS can change in between). Inputs given as URLs (JMS submissions) follow the same rules,
 * checked again at connect time through {@link #publicAddresses}. {@code reelroute.webhooks.allow-insecure-urls}
 * lifts both rules for local testing.
 */
@Component
public class WebhookUrlGuard {
    public static final int MAX_URL_LENGTH = 2048;

    /** A host made only of numbers (decimal, octal or hex) and dots: an IPv4 literal in some parser's eyes. */
    private static final Pattern NUMERIC_HOST = Pattern.compile("(?i)(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?");
    private static final Pattern DOTTED_QUAD = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}"
            + "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");

    private final boolean allowInsecure;
    private final HostResolver resolver;

    public WebhookUrlGuard(ReelrouteProperties properties) {
        this(properties, HostResolver.SYSTEM);
    }

    public WebhookUrlGuard(ReelrouteProperties properties, HostResolver resolver) {
        this.allowInsecure = properties.webhooks().allowInsecureUrls();
        this.resolver = resolver;
    }

    /** The system's DNS unless the context has a {@link HostResolver} bean. */
    @Autowired
    public WebhookUrlGuard(ReelrouteProperties properties, ObjectProvider<HostResolver> resolver) {
        this(properties, resolver.getIfAvailable(() -> HostResolver.SYSTEM));
    }

    public static class RejectedUrlException extends RuntimeException {
        public RejectedUrlException(String message) {
            super(message);
        }
    }

    /** Returns the URL when acceptable, else throws {@link RejectedUrlException} saying why. */
    public URI check(String url) {
        return check(url, "webhookUrl");
    }

    /**
     * The same rules for any outbound URL the service is handed (an input to download, say); {@code field} names
     * it in the messages.
     */
    public URI check(String url, String field) {
        if (url == null || url.isBlank()) {
            throw new RejectedUrlException(field + " is empty");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new RejectedUrlException(field + " is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException | IllegalArgumentException e) {
            // java.net.URI throws NumberFormatException, not URISyntaxException, for an IPv6 literal whose embedded
            // IPv4 part has a run of digits past int's range ("https://[::8888888888888127.0.0.1]/")
            throw new RejectedUrlException(field + " is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new RejectedUrlException(field + " must be an absolute https:// URL");
        }
        if (uri.getUserInfo() != null) {
            throw new RejectedUrlException(field + " must not contain credentials");
        }
        if (allowInsecure) {
            return uri;
        }
        if (!scheme.equals("https")) {
            throw new RejectedUrlException(field + " must start with https://");
        }
        String host = uri.getHost();
        if (NUMERIC_HOST.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
            throw new RejectedUrlException(field + " must write an IPv4 address as four decimal numbers without "
                    + "leading zeros (0177.0.0.1 means 127.0.0.1 to some parsers)");
        }
        publicAddresses(host, field);
        return uri;
    }

    /**
     * Every address {@code host} resolves to, when none of them is internal (any host when insecure URLs are
     * allowed). A client that connects only to these addresses cannot be steered inside by a DNS answer that
     * changed after {@link #check}.
     */
    public InetAddress[] publicAddresses(String host, String field) {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new RejectedUrlException(field + " host does not resolve");
        }
        if (allowInsecure) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                throw new RejectedUrlException(
                        field + " must not point at a loopback, private, link-local or metadata address");
            }
        }
        return addresses;
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0                                   // "this network"
                    || (first == 100 && second >= 64 && second <= 127) // CGNAT 100.64/10
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19))    // benchmarking
                    || first >= 240;                                     // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            if (isLocalUseNat64(b)) {
                return true; // 64:ff9b:1::/48 (RFC 8215) is for a network's own translators, never public
            }
            for (byte[] embedded : embeddedIpv4(b)) {
                try {
                    if (isInternal(InetAddress.getByAddress(embedded))) {
                        return true;
                    }
                } catch (UnknownHostException impossible) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isLocalUseNat64(byte[] b) {
        return b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && b[4] == 0 && b[5] == 1;
    }

    /**
     * The IPv4 addresses an IPv6 address carries and that a router or translator on the way may deliver to:
     * the last 32 bits of IPv4-mapped ::ffff:0:0/96, IPv4-translated ::ffff:0:0:0/96, IPv4-compatible ::/96 and
     * NAT64 64:ff9b::/96; bits 16-47 of 6to4 2002::/16; the server (bits 32-63) and the client (the last 32 bits,
     * inverted) of Teredo 2001::/32.
     */
    static java.util.List<byte[]> embeddedIpv4(byte[] b) {
        byte[] last = {b[12], b[13], b[14], b[15]};
        if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return java.util.List.of(last); // IPv4-mapped
        }
        if (zero(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && zero(b, 10, 12)) {
            return java.util.List.of(last); // IPv4-translated
        }
        if (zero(b, 0, 12)) {
            return java.util.List.of(last); // IPv4-compatible (:: and ::1 are caught before)
        }
        if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && zero(b, 4, 12)) {
            return java.util.List.of(last); // NAT64 well-known prefix
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return java.util.List.of(new byte[] {b[2], b[3], b[4], b[5]}); // 6to4
        }
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
            byte[] client = {(byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]};
            return java.util.List.of(new byte[] {b[4], b[5], b[6], b[7]}, client); // Teredo
        }
        return java.util.List.of();
    }

    private static boolean zero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
