package dev.reelroute.api;

import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The files of a multipart request, as the platform-http binding hands them over (one temporary file per part).
 * Whatever happens to the request, the temporary files are removed when the exchange is done.
 */
public final class Uploads {
    private Uploads() {}

    public static Optional<Path> file(Exchange exchange, String field) {
        AttachmentMessage message = exchange.getIn(AttachmentMessage.class);
        if (message == null || !message.hasAttachments()) {
            return Optional.empty();
        }
        DataHandler handler = message.getAttachment(field);
        if (handler != null && handler.getDataSource() instanceof FileDataSource source) {
            return Optional.of(source.getFile().toPath());
        }
        return Optional.empty();
    }

    /** Deletes every uploaded temporary file once the exchange completes or fails. */
    public static void deleteWhenDone(Exchange exchange) {
        AttachmentMessage message = exchange.getIn(AttachmentMessage.class);
        if (message == null || !message.hasAttachments()) {
            return;
        }
        Map<String, DataHandler> attachments = Map.copyOf(message.getAttachments());
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                attachments.values().forEach(handler -> {
                    if (handler.getDataSource() instanceof FileDataSource source) {
                        deleteQuietly(source.getFile());
                    }
                });
            }
        });
    }

    private static void deleteQuietly(File file) {
        try {
            Files.deleteIfExists(file.toPath());
        } catch (IOException ignored) {
            // a temp file we could not remove is left to the OS temp cleaner
        }
    }
}
