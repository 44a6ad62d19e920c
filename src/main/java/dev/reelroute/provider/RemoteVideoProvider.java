package dev.reelroute.provider;

import java.nio.file.Path;

/** A remote AI video provider. Every method is blocking and throws {@link ProviderException} on failure. */
public interface RemoteVideoProvider {
    String name();

    RemotePrediction submit(RemoteClipRequest r) throws ProviderException;

    RemotePrediction poll(String id) throws ProviderException;

    void cancel(String id) throws ProviderException;

    /** Streams {@code outputUrl} to {@code target} (atomically), refusing more than {@code maxBytes}. */
    Path download(String outputUrl, Path target, long maxBytes) throws ProviderException;
}
