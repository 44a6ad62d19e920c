package dev.reelroute.api;

import dev.reelroute.storage.LinkSigner;
import dev.reelroute.storage.Storage;
import dev.reelroute.web.ErrorBodies;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Optional;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves stored files behind signed, expiring links. Spring's resource handling answers Range requests
 * (206 with Content-Range), so a browser can seek in the video.
 */
@RestController
public class FileDownloadController {
    private static final String PREFIX = "/files/";
    private final Storage storage;
    private final LinkSigner signer;

    public FileDownloadController(Storage storage, LinkSigner signer) {
        this.storage = storage;
        this.signer = signer;
    }

    @GetMapping("/files/**")
    public ResponseEntity<?> download(HttpServletRequest request,
                                      @RequestParam(name = "expires", defaultValue = "0") long expires,
                                      @RequestParam(name = "signature", defaultValue = "") String signature)
            throws IOException {
        String key = request.getServletPath().substring(PREFIX.length());
        if (!signer.verify(key, expires, signature)) {
            return error(HttpStatus.FORBIDDEN, "This link is invalid or has expired; read the job status for a fresh one");
        }
        Optional<Resource> resource;
        try {
            resource = storage.open(key);
        } catch (IllegalArgumentException invalidKey) {
            resource = Optional.empty();
        }
        if (resource.isEmpty()) {
            return error(HttpStatus.NOT_FOUND, "File not found");
        }
        MediaType type = MediaTypeFactory.getMediaType(key).orElse(MediaType.APPLICATION_OCTET_STREAM);
        return ResponseEntity.ok()
                .contentType(type)
                .cacheControl(CacheControl.noStore())
                .header("X-Content-Type-Options", "nosniff")
                .body(resource.get());
    }

    private static ResponseEntity<String> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ErrorBodies.json(message));
    }
}
