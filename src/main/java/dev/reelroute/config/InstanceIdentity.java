package dev.reelroute.config;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * This instance's name among the ones sharing a broker and a database: REELROUTE_INSTANCE_ID, else host name and
 * process id. Recorded on every job a worker here claims.
 */
@Component("instance")
public class InstanceIdentity {
    private static final int MAX_LENGTH = 100;
    private final String id;

    public InstanceIdentity(@Value("${reelroute.instance-id:}") String configured) {
        String chosen = configured == null || configured.isBlank() ? hostName() + ":" + ManagementFactory
                .getRuntimeMXBean().getPid() : configured.strip();
        this.id = chosen.length() > MAX_LENGTH ? chosen.substring(0, MAX_LENGTH) : chosen;
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException unknown) {
            return "reelroute";
        }
    }
}
