package dev.reelroute.provider;

import dev.reelroute.media.MediaKind;
import dev.reelroute.media.MediaSniffer;
import dev.reelroute.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.springframework.stereotype.Component;

/**
 * A job's stored image as a {@code data:} URI, the form both providers take inline in the JSON body (so no public
 * URL of the image is needed). The MIME type is sniffed from the bytes; the size is bounded, because the URI
 * travels whole in memory and in the request.
 */
@Component
public class ImageDataUris {
    private final Storage storage;
    private final MediaSniffer sniffer;
    private final long maxBytes;

    public ImageDataUris(Storage storage, MediaSniffer sniffer, ProviderProperties properties) {
        this.storage = storage;
        this.sniffer = sniffer;
        this.maxBytes = properties.maxImageBytes().toBytes();
    }

    /** @param workDir where a copy goes when storage is not local */
    public String dataUri(String storageKey, Path workDir) throws IOException {
        Path file = storage.localFile(storageKey, workDir);
        long size = Files.size(file);
        if (size > maxBytes) {
            throw RemoteClipException.unusableInput("An image of the job is " + megabytes(size)
                    + "; remote models take images up to " + megabytes(maxBytes));
        }
        MediaKind kind = sniffer.sniff(file).filter(MediaKind::isImage)
                .orElseThrow(() -> new IOException("stored input " + storageKey + " is not an image"));
        return "data:" + kind.mimeType() + ";base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(file));
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }
}
