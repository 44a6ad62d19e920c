package dev.reelroute.storage;

import dev.reelroute.config.AtomicFiles;
import dev.reelroute.config.Ids;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.security.Secrets;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Signed, expiring links to stored files: the one place the views get them from. Where the storage serves clients
 * itself (S3) the link is its presigned URL; else it is signed here and served by the app under /files/. The
 * signing secret comes from REELROUTE_URL_SIGNING_SECRET (needed when several instances serve the same links);
 * without it one is generated once and kept in the data dir so links survive a restart.
 */
@Component
public class LinkSigner {
    private final byte[] secret;
    private final Duration ttl;
    private final Clock clock;
    private final Environment environment;
    private final String configuredBaseUrl;
    private final Storage storage;

    public LinkSigner(ReelrouteProperties properties, Clock clock, Environment environment, Storage storage)
            throws IOException {
        this.storage = storage;
        this.secret = loadSecret(properties);
        this.ttl = properties.videoLinkTtl();
        this.clock = clock;
        this.environment = environment;
        this.configuredBaseUrl = properties.publicBaseUrl();
    }

    private static byte[] loadSecret(ReelrouteProperties properties) throws IOException {
        if (properties.urlSigningSecret() != null && !properties.urlSigningSecret().isBlank()) {
            return properties.urlSigningSecret().getBytes(StandardCharsets.UTF_8);
        }
        Path file = properties.dataDir().resolve("url-signing.secret");
        if (!Files.exists(file)) {
            AtomicFiles.write(file, partial -> {
                Files.writeString(partial, Ids.randomToken(32));
                try {
                    Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // best effort on non-POSIX file systems
                }
            });
        }
        return Files.readString(file).strip().getBytes(StandardCharsets.UTF_8);
    }

    /** The base of every link the API hands out, e.g. https://video.example.com. */
    public String baseUrl() {
        if (configuredBaseUrl != null && !configuredBaseUrl.isBlank()) {
            return configuredBaseUrl.replaceAll("/+$", "");
        }
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return "http://localhost:" + port;
    }

    /** A fresh link to the stored object, valid for the configured lifetime; minted anew on every call. */
    public String signedUrl(String key) {
        return storage.presignedUrl(key).orElseGet(() -> appLink(key));
    }

    private String appLink(String key) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        return baseUrl() + "/files/" + key + "?expires=" + expires + "&signature="
                + URLEncoder.encode(signature(key, expires), StandardCharsets.UTF_8);
    }

    public boolean verify(String key, long expires, String signature) {
        if (expires < clock.instant().getEpochSecond()) {
            return false;
        }
        return Secrets.constantTimeEquals(signature(key, expires), signature);
    }

    private String signature(String key, long expires) {
        return HexFormat.of().formatHex(Secrets.hmacSha256(secret, key + "\n" + expires));
    }
}
