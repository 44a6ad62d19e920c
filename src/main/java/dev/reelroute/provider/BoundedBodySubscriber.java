package dev.reelroute.provider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Collects a response body into memory or a file, failing as soon as more than {@code limit} bytes arrive, and
 * remembering when data last arrived so that the caller can abort a stalled body.
 */
final class BoundedBodySubscriber implements BodySubscriber<BoundedBodySubscriber.Body> {

    /** The collected body: bytes in memory, or a (temporary) file. */
    record Body(byte[] bytes, Path file, long length) {
    }

    /** More than the limit arrived (or was announced). */
    static final class TooLargeException extends IOException {
        final long limit;

        TooLargeException(long limit) {
            super("body exceeds " + limit + " bytes");
            this.limit = limit;
        }
    }

    private interface Sink {
        void write(ByteBuffer buffer) throws IOException;

        Body finish(long length) throws IOException;

        void abandon();
    }

    private final Sink sink;
    private final long limit;
    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private volatile long lastActivityNanos = System.nanoTime();
    private long received;

    private BoundedBodySubscriber(Sink sink, long limit) {
        this.sink = sink;
        this.limit = limit;
    }

    static BoundedBodySubscriber toMemory(int limit) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return new BoundedBodySubscriber(new Sink() {
            @Override
            public void write(ByteBuffer buffer) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                out.write(chunk, 0, chunk.length);
            }

            @Override
            public Body finish(long length) {
                return new Body(out.toByteArray(), null, length);
            }

            @Override
            public void abandon() {
                out.reset();
            }
        }, limit);
    }

    /** Streams into {@code temp} (created by the caller); the file is deleted on any failure. */
    static BoundedBodySubscriber toFile(Path temp, long limit) throws IOException {
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return new BoundedBodySubscriber(new Sink() {
            @Override
            public void write(ByteBuffer buffer) throws IOException {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }

            @Override
            public Body finish(long length) throws IOException {
                channel.force(false);
                channel.close();
                return new Body(null, temp, length);
            }

            @Override
            public void abandon() {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // deleting below is what matters
                }
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort; the caller deletes again
                }
            }
        }, limit);
    }

    long idleNanos() {
        return System.nanoTime() - lastActivityNanos;
    }

    /** Fails the body (from any thread): cancels the subscription and abandons what was collected. */
    void abort(Throwable why) {
        if (result.completeExceptionally(why)) {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            sink.abandon();
        }
    }

    @Override
    public CompletionStage<Body> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (result.isDone()) {
            s.cancel();
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        lastActivityNanos = System.nanoTime();
        try {
            for (ByteBuffer buffer : buffers) {
                received += buffer.remaining();
                if (received > limit) {
                    abort(new TooLargeException(limit));
                    return;
                }
                sink.write(buffer);
            }
        } catch (IOException | RuntimeException e) {
            abort(e);
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable throwable) {
        abort(throwable);
    }

    @Override
    public void onComplete() {
        if (result.isDone()) {
            return;
        }
        try {
            result.complete(sink.finish(received));
        } catch (IOException e) {
            abort(e);
        }
    }
}
