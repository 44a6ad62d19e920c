package dev.reelroute.webhook;

import dev.reelroute.config.ReelrouteProperties;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import org.springframework.stereotype.Component;

/**
 * Webhook URLs must be https and must not lead into the service's own network: loopback, private, link-local
 * (which includes the 169.254.169.254 metadata address), unique-local, CGNAT, multicast or unspecified
 * addresses are refused, for every address the host name resolves to. Checked at job creation and again
 * before each delivery (DNS can change in between). Inputs given as URLs (JMS submissions) follow the same rules,
 * checked again at connect time through {@link #publicAddresses}. {@code reelroute.webhooks.allow-insecure-urls}
 * lifts both rules for local testing.
 */
@Component
public class WebhookUrlGuard {
    public static final int MAX_URL_LENGTH = 2048;

    private final boolean allowInsecure;

    public WebhookUrlGuard(ReelrouteProperties properties) {
        this.allowInsecure = properties.webhooks().allowInsecureUrls();
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
        } catch (URISyntaxException e) {
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
        publicAddresses(uri.getHost(), field);
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
            addresses = InetAddress.getAllByName(host);
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
            boolean v4Mapped = true;
            for (int i = 0; i < 10; i++) {
                v4Mapped &= b[i] == 0;
            }
            if (v4Mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
                try {
                    return isInternal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (java.net.UnknownHostException impossible) {
                    return true;
                }
            }
        }
        return false;
    }
}
