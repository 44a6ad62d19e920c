package dev.reelroute.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a host name into the addresses {@link WebhookUrlGuard} checks and the input downloads connect to. The
 * system's DNS by default; a bean of this type replaces it (tests use one to make a name resolve differently at
 * creation and at delivery).
 */
@FunctionalInterface
public interface HostResolver {
    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
