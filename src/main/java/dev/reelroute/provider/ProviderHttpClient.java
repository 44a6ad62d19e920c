package dev.reelroute.provider;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client of one provider's camel-http endpoints ({@code httpClientConfigurer=#<provider>HttpClient}):
 * its own connection pool with the provider's connect and read timeouts, no redirects, no retries of its own (the
 * routes retry). It adds the Authorization header to requests for the base URL's origin only, so the token is
 * never in a Camel message; reports every attempt to the {@link ProviderCallObserver}; and bounds what it reads:
 * a 2xx answer to a JSON request fails past {@link ProviderHttp#MAX_JSON_BYTES}, an error body is cut at
 * {@link #MAX_ERROR_BODY_BYTES} (downloads are bounded by {@link ProviderHttp} as they are stored).
 */
public final class ProviderHttpClient implements HttpClientConfigurer, AutoCloseable {
    static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    /** A 2xx JSON answer longer than allowed. */
    public static final class BodyTooLargeException extends IOException {
        BodyTooLargeException(long limit) {
            super("body exceeds " + limit + " bytes");
        }
    }

    private final ProviderName provider;
    private final ProviderSettings settings;
    private final ProviderCallObserver calls;
    private final PoolingHttpClientConnectionManager connections;

    public ProviderHttpClient(ProviderName provider, ProviderSettings settings, ProviderCallObserver calls) {
        this.provider = provider;
        this.settings = settings;
        this.calls = calls;
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(50)
                .setMaxConnPerRoute(20)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                        .setSocketTimeout(Timeout.of(settings.readTimeout()))
                        .build())
                .build();
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.setConnectionManager(connections)
                .setConnectionManagerShared(true)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(settings.connectTimeout()))
                        .setResponseTimeout(Timeout.of(settings.readTimeout()))
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .addExecInterceptorFirst("reelroute-provider-call", this::execute);
    }

    private ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        request.removeHeaders(HttpHeaders.AUTHORIZATION);
        if (toProvider(request)) {
            request.setHeader(HttpHeaders.AUTHORIZATION, provider.authScheme() + " " + settings.token());
        }
        long started = System.nanoTime();
        ClassicHttpResponse response;
        try {
            response = chain.proceed(request, scope);
            bound(request, response);
        } catch (IOException | HttpException | RuntimeException e) {
            calls.called(provider.id(), request.getMethod(), "error", System.nanoTime() - started);
            throw e;
        }
        calls.called(provider.id(), request.getMethod(), (response.getCode() / 100) + "xx",
                System.nanoTime() - started);
        return response;
    }

    private boolean toProvider(ClassicHttpRequest request) {
        try {
            return ProviderHttp.sameOrigin(settings.baseUrl(), request.getUri());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void bound(ClassicHttpRequest request, ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            return;
        }
        if (response.getCode() / 100 != 2) {
            response.setEntity(new BoundedEntity(entity, MAX_ERROR_BODY_BYTES, false));
            return;
        }
        Header accept = request.getFirstHeader(HttpHeaders.ACCEPT);
        if (accept != null && accept.getValue().contains("json")) {
            if (entity.getContentLength() > ProviderHttp.MAX_JSON_BYTES) {
                response.close();
                throw new BodyTooLargeException(ProviderHttp.MAX_JSON_BYTES);
            }
            response.setEntity(new BoundedEntity(entity, ProviderHttp.MAX_JSON_BYTES, true));
        }
    }

    @Override
    public void close() {
        connections.close();
    }

    @Override
    public String toString() {
        return "ProviderHttpClient[" + provider + ", " + settings + "]";
    }

    /** Reads at most {@code limit} bytes: past it, fails ({@code refuse}) or ends (an error body, cut). */
    private static final class BoundedEntity extends HttpEntityWrapper {
        private final long limit;
        private final boolean refuse;

        BoundedEntity(HttpEntity entity, long limit, boolean refuse) {
            super(entity);
            this.limit = limit;
            this.refuse = refuse;
        }

        @Override
        public long getContentLength() {
            long length = super.getContentLength();
            return length >= 0 && length <= limit ? length : -1;
        }

        @Override
        public InputStream getContent() throws IOException {
            return new FilterInputStream(super.getContent()) {
                private long read;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    long left = limit - read;
                    if (left <= 0) {
                        if (refuse && super.read() >= 0) {
                            throw new BodyTooLargeException(limit);
                        }
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) {
                        read += n;
                    }
                    return n;
                }
            };
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }

        @Override
        public boolean isStreaming() {
            return true;
        }
    }
}
