package dev.reelroute.api;

import dev.reelroute.web.UploadChecks;
import dev.reelroute.web.ApiException;
import dev.reelroute.webhook.WebhookUrlGuard;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.web.servlet.MultipartProperties;
import org.springframework.stereotype.Component;

/**
 * Fetches an input a client gave as a URL into a local file, under the rules of webhook URLs and of uploads:
 * <ul>
 *   <li>the URL, and every redirect target, passes {@link WebhookUrlGuard} (https, no credentials, no internal
 *       address); the connection is made only to addresses the guard approved when it was opened, so a DNS answer
 *       that changes after the check cannot steer it inside;</li>
 *   <li>at most {@code spring.servlet.multipart.max-file-size} bytes, announced or streamed;</li>
 *   <li>bounded in time: connect and read timeouts, and a limit on the whole download, redirects included.</li>
 * </ul>
 * What the bytes are is left to {@link UploadChecks}, as for an upload. Failures are {@link ApiException}s with
 * the codes {@link #DOWNLOAD_FAILED} and {@link #TOO_LARGE}, or a 400 for a URL refused outright.
 */
@Component
public class RemoteInputs implements DisposableBean {
    public static final String DOWNLOAD_FAILED = "INPUT_DOWNLOAD_FAILED";
    public static final String TOO_LARGE = "INPUT_TOO_LARGE";
    private static final int BUFFER_BYTES = 64 * 1024;

    private final WebhookUrlGuard guard;
    private final InputDownloadProperties settings;
    private final long maxBytes;
    private final CloseableHttpClient client;

    public RemoteInputs(WebhookUrlGuard guard, InputDownloadProperties settings, MultipartProperties uploads) {
        this.guard = guard;
        this.settings = settings;
        this.maxBytes = uploads.getMaxFileSize().toBytes();
        DnsResolver approvedAddressesOnly = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                try {
                    return guard.publicAddresses(host, "the input URL");
                } catch (WebhookUrlGuard.RejectedUrlException refused) {
                    throw new RefusedAddressException(refused.getMessage());
                }
            }

            @Override
            public String resolveCanonicalHostname(String host) {
                return host;
            }
        };
        Timeout read = Timeout.of(settings.readTimeout());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(approvedAddressesOnly)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                                .setSocketTimeout(read)
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(settings.connectTimeout()))
                        .setResponseTimeout(read)
                        .setRedirectsEnabled(false)
                        .build())
                // redirects are followed here, each target checked; nothing is retried or remembered
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .setUserAgent("reelroute-inputs/1")
                .build();
    }

    /** The name resolved to an internal address at connect time (checked the URL, then the DNS answer changed). */
    static final class RefusedAddressException extends UnknownHostException {
        RefusedAddressException(String message) {
            super(message);
        }
    }

    /** More bytes than the limit were announced or sent. */
    private static final class TooLargeException extends IOException {
        TooLargeException(String message) {
            super(message);
        }
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Downloads {@code url} into a new file in {@code dir}; {@code field} names the input in the messages. The file
     * is removed again on any failure.
     */
    public Path fetch(String url, String field, Path dir) throws IOException {
        URI current = checked(url, field, false);
        long deadline = System.nanoTime() + settings.maxDuration().toNanos();
        Path target = Files.createTempFile(dir, "input-", ".download");
        try {
            for (int redirects = 0; ; redirects++) {
                if (System.nanoTime() > deadline) {
                    throw failed(field, "timed out");
                }
                String location = download(current, target, deadline, field);
                if (location == null) {
                    return target;
                }
                if (redirects >= settings.maxRedirects()) {
                    throw failed(field, "more than " + settings.maxRedirects() + " redirects");
                }
                URI next;
                try {
                    next = current.resolve(location.strip());
                } catch (IllegalArgumentException malformed) {
                    throw failed(field, "redirected to a malformed URL");
                }
                current = checked(next.toString(), field, true);
            }
        } catch (IOException | RuntimeException failure) {
            Files.deleteIfExists(target);
            throw failure;
        }
    }

    /** One request: the body into {@code target}, or the Location of a redirect (null when the body came). */
    private String download(URI uri, Path target, long deadline, String field) throws IOException {
        HttpGet get = new HttpGet(uri);
        // closed without draining: a refused or oversized body is never read to its end
        try (ClassicHttpResponse response = client.executeOpen(null, get, null)) {
            int status = response.getCode();
            if (status >= 300 && status < 400 && status != 304) {
                Header location = response.getFirstHeader("Location");
                if (location == null) {
                    throw failed(field, "answered " + status + " without a Location");
                }
                return location.getValue();
            }
            if (status < 200 || status >= 300) {
                throw failed(field, "answered " + status);
            }
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                throw failed(field, "answered without a body");
            }
            if (entity.getContentLength() > maxBytes) {
                throw new TooLargeException("announces " + entity.getContentLength() + " bytes");
            }
            copyBounded(entity, target, deadline);
            return null;
        } catch (TooLargeException tooLarge) {
            throw new ApiException(413, "The " + field + " download is larger than the " + maxBytes
                    + "-byte limit (" + tooLarge.getMessage() + ")").withCode(TOO_LARGE);
        } catch (RefusedAddressException refused) {
            throw failed(field, "its host resolved to an address that is refused: " + refused.getMessage());
        } catch (SocketTimeoutException timeout) {
            throw failed(field, "timed out");
        } catch (ConnectException | UnknownHostException unreachable) {
            throw failed(field, "the host could not be reached");
        } catch (IOException broken) {
            throw failed(field, broken.getClass().getSimpleName());
        }
    }

    private void copyBounded(HttpEntity entity, Path target, long deadline) throws IOException {
        long received = 0;
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = entity.getContent(); OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                received += n;
                if (received > maxBytes) {
                    throw new TooLargeException("sent more than that");
                }
                if (System.nanoTime() > deadline) {
                    throw new SocketTimeoutException("longer than " + settings.maxDuration().toSeconds() + " s");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    private URI checked(String url, String field, boolean redirected) {
        try {
            return guard.check(url, field);
        } catch (WebhookUrlGuard.RejectedUrlException rejected) {
            if (redirected) {
                throw failed(field, "redirected to a URL that is refused: " + rejected.getMessage());
            }
            throw ApiException.badRequest("Invalid input URL: " + rejected.getMessage());
        }
    }

    private static ApiException failed(String field, String why) {
        return new ApiException(502, "The " + field + " could not be downloaded: " + why).withCode(DOWNLOAD_FAILED);
    }

    @Override
    public void destroy() throws IOException {
        client.close();
    }
}
