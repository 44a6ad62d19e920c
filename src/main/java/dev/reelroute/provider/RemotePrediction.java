package dev.reelroute.provider;

import java.util.List;

/**
 * A remote prediction as seen by reelroute. {@code status} is normalized to one of {@link #QUEUED},
 * {@link #RUNNING}, {@link #SUCCEEDED}, {@link #FAILED}, {@link #CANCELED}; {@code id} is opaque and is what
 * {@link RemoteVideoProvider#poll} and {@link RemoteVideoProvider#cancel} take.
 */
public record RemotePrediction(String id, String status, Integer progressPercent, List<String> logs,
                               String outputUrl, String error) {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELED = "canceled";

    public RemotePrediction {
        logs = logs == null ? List.of() : List.copyOf(logs);
    }

    public boolean terminal() {
        return SUCCEEDED.equals(status) || FAILED.equals(status) || CANCELED.equals(status);
    }
}
