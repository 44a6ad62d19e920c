package dev.reelroute.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server (127.0.0.1, plain http) that serves what a test puts on it: files, redirects, endless or
 * oversized bodies, slow answers. Counts the requests each path got.
 */
public final class FileServer implements AutoCloseable {
    /** What one path answers. */
    @FunctionalInterface
    public interface Answer {
        void write(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    public FileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Answer answer = answers.get(path);
            try {
                if (answer == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    answer.write(exchange);
                }
            } catch (IOException clientWentAway) {
                // the service stopped reading (a refused body): nothing to do
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(threads);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    public FileServer file(String path, Path file, String contentType) throws IOException {
        return bytes(path, Files.readAllBytes(file), contentType);
    }

    public FileServer bytes(String path, byte[] content, String contentType) {
        answers.put(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, content.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(content);
            }
        });
        return this;
    }

    /** {@code totalBytes} of zeros, chunked, so only counting what arrives can tell the size. */
    public FileServer streamed(String path, long totalBytes) {
        answers.put(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "image/png");
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[16 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long sent = 0; sent < totalBytes; sent += chunk.length) {
                    out.write(chunk);
                }
            }
        });
        return this;
    }

    public FileServer redirect(String path, int status, String location) {
        answers.put(path, exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(status, -1);
        });
        return this;
    }

    /** Answers only after {@code millis}. */
    public FileServer slow(String path, long millis) {
        answers.put(path, exchange -> {
            try {
                // not a wait for something: the time this deliberately slow server takes to answer
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
        });
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
