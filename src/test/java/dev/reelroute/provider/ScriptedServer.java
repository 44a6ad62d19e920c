package dev.reelroute.provider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local HTTP server on 127.0.0.1 playing a provider's protocol from a script: per "METHOD /path", a queue of
 * replies; each request takes the next reply, the last one repeats. "{base}" in a JSON reply becomes this server's
 * base URL and "{cdn}" the URL given by {@link #cdn(String)}. Every request is recorded.
 */
final class ScriptedServer implements AutoCloseable {

    record Seen(String method, String path, String query, String authorization, String body, long nanos) {
    }

    @FunctionalInterface
    interface Reply {
        void send(HttpExchange ex, ScriptedServer server) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Deque<Reply>> script = new ConcurrentHashMap<>();
    private final List<Seen> seen = new ArrayList<>();
    private volatile String cdn = "";

    ScriptedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    ScriptedServer cdn(String url) {
        this.cdn = url;
        return this;
    }

    ScriptedServer on(String method, String path, Reply... replies) {
        Deque<Reply> q = script.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>());
        synchronized (q) {
            q.addAll(List.of(replies));
        }
        return this;
    }

    /** Forgets the script and the requests seen, for a server that several tests share. */
    ScriptedServer reset() {
        script.clear();
        synchronized (seen) {
            seen.clear();
        }
        return this;
    }

    List<Seen> seen() {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    List<Seen> seen(String method, String path) {
        return seen().stream().filter(s -> s.method().equals(method) && s.path().equals(path)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            synchronized (seen) {
                seen.add(new Seen(ex.getRequestMethod(), path, ex.getRequestURI().getQuery(),
                        ex.getRequestHeaders().getFirst("Authorization"), body, System.nanoTime()));
            }
            Deque<Reply> q = script.get(ex.getRequestMethod() + " " + path);
            Reply reply;
            if (q == null) {
                reply = json(404, "{\"detail\":\"Not found\"}");
            } else {
                synchronized (q) {
                    reply = q.size() > 1 ? q.poll() : q.peek();
                }
            }
            reply.send(ex, this);
        }
    }

    // ------------------------------------------------------------------------------------------------ replies

    static Reply json(int status, String body, String... headers) {
        return (ex, s) -> {
            for (int i = 0; i + 1 < headers.length; i += 2) {
                ex.getResponseHeaders().add(headers[i], headers[i + 1]);
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            byte[] bytes = body.replace("{base}", s.base().toString()).replace("{cdn}", s.cdn)
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                ex.getResponseBody().write(bytes);
            }
        };
    }

    /** The bytes, with a Content-Length. */
    static Reply bytes(byte[] data) {
        return (ex, s) -> {
            ex.getResponseHeaders().add("Content-Type", "video/mp4");
            ex.sendResponseHeaders(200, data.length);
            ex.getResponseBody().write(data);
        };
    }

    /** The bytes, chunked: no Content-Length announced. */
    static Reply chunked(byte[] data) {
        return (ex, s) -> {
            ex.getResponseHeaders().add("Content-Type", "video/mp4");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            for (int off = 0; off < data.length; off += 8192) {
                out.write(data, off, Math.min(8192, data.length - off));
            }
        };
    }

    /** Announces data.length bytes, sends half of them and drops the connection. */
    static Reply truncated(byte[] data) {
        return (ex, s) -> {
            ex.getResponseHeaders().add("Content-Type", "video/mp4");
            ex.sendResponseHeaders(200, data.length);
            OutputStream out = ex.getResponseBody();
            out.write(data, 0, data.length / 2);
            out.flush();
            try {
                // not a wait for something: a slow server's pause, so the half is on the wire before the drop
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Closing with bytes still owed makes HttpServer drop the connection.
            try {
                ex.close();
            } catch (RuntimeException ignored) {
                // "insufficient bytes written" is the point
            }
        };
    }

    static byte[] video(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return data;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
