package dev.reelroute.web;

import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
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

    /**
     * Every file sent under {@code field} (a repeated field such as referenceImages), read from the servlet's
     * multipart parts, since the attachment map keeps one file per name. Copied to temporary files that are
     * deleted when the exchange is done; at most {@code max} + 1 are read, so the caller can refuse too many.
     */
    public static List<Path> files(Exchange exchange, String field, int max) throws IOException {
        if (!(exchange.getIn() instanceof PlatformHttpMessage http)
                || http.getRequest().getContentType() == null
                || !http.getRequest().getContentType().toLowerCase(Locale.ROOT).startsWith("multipart/")) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try {
            for (Part part : http.getRequest().getParts()) {
                if (!field.equals(part.getName()) || part.getSubmittedFileName() == null) {
                    continue;
                }
                if (files.size() > max) {
                    break;
                }
                Path copy = Files.createTempFile("reelroute-upload-", ".part");
                files.add(copy);
                try (InputStream in = part.getInputStream()) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (ServletException notMultipart) {
            return List.of();
        } finally {
            deleteOnCompletion(exchange, files.stream().map(Path::toFile).toList());
        }
        return files;
    }

    /** Deletes every uploaded temporary file once the exchange completes or fails. */
    public static void deleteWhenDone(Exchange exchange) {
        AttachmentMessage message = exchange.getIn(AttachmentMessage.class);
        if (message == null || !message.hasAttachments()) {
            return;
        }
        deleteOnCompletion(exchange, message.getAttachments().values().stream()
                .filter(handler -> handler.getDataSource() instanceof FileDataSource)
                .map(handler -> ((FileDataSource) handler.getDataSource()).getFile())
                .toList());
    }

    /** Deletes {@code files} once the exchange completes or fails, whatever happened to the request. */
    private static void deleteOnCompletion(Exchange exchange, List<File> files) {
        List<File> created = List.copyOf(files);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                created.forEach(Uploads::deleteQuietly);
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
