package dev.reelroute.media;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program from an argument list (never through a shell) with stdin closed, a hard
 * timeout and bounded capture of stdout/stderr, so a misbehaving ffmpeg/ffprobe can neither hang a
 * worker nor fill the heap.
 */
public final class ProcessRunner {

    private ProcessRunner() {
    }

    /**
     * @param exitCode        process exit code
     * @param stdout          captured stdout, at most the requested limit
     * @param stdoutTruncated true when the process wrote more than the limit (the rest was drained and dropped)
     * @param stderr          the first few KB of stderr, for error messages
     */
    public record Result(int exitCode, byte[] stdout, boolean stdoutTruncated, String stderr) {
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Thrown when the process outlived its timeout; it has been killed by then. */
    public static final class TimeoutException extends IOException {
        public TimeoutException(String message) {
            super(message);
        }
    }

    static final int STDERR_LIMIT_BYTES = 8 * 1024;

    public static Result run(List<String> command, Duration timeout, int stdoutLimitBytes) throws IOException {
        return run(command, timeout, stdoutLimitBytes, false);
    }

    /** Like {@link #run}, with stderr read into {@code stdout} too: for programs that report on stderr. */
    public static Result runWithStderrInOutput(List<String> command, Duration timeout, int outputLimitBytes)
            throws IOException {
        return run(command, timeout, outputLimitBytes, true);
    }

    private static Result run(List<String> command, Duration timeout, int stdoutLimitBytes, boolean mergeStderr)
            throws IOException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(mergeStderr).start();
        // Closed stdin: ffmpeg would otherwise wait for keyboard commands if -nostdin were forgotten.
        process.getOutputStream().close();
        CompletableFuture<Captured> stdout = drain(process.getInputStream(), stdoutLimitBytes);
        CompletableFuture<Captured> stderr = drain(process.getErrorStream(), STDERR_LIMIT_BYTES);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new TimeoutException(command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
            Captured out = stdout.get(5, TimeUnit.SECONDS);
            Captured err = stderr.get(5, TimeUnit.SECONDS);
            return new Result(process.exitValue(), out.bytes(), out.truncated(),
                    new String(err.bytes(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("could not read output of " + command.get(0), e);
        }
    }

    private record Captured(byte[] bytes, boolean truncated) {
    }

    /** Keeps reading past the limit (discarding) so the child never blocks on a full pipe. */
    private static CompletableFuture<Captured> drain(InputStream stream, int limitBytes) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream kept = new ByteArrayOutputStream(Math.min(limitBytes, 64 * 1024));
            boolean truncated = false;
            byte[] buffer = new byte[8192];
            try (stream) {
                int read;
                while ((read = stream.read(buffer)) != -1) {
                    int room = limitBytes - kept.size();
                    if (read > room) {
                        truncated = true;
                    }
                    if (room > 0) {
                        kept.write(buffer, 0, Math.min(read, room));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Captured(kept.toByteArray(), truncated);
        }, runnable -> {
            // Own daemon thread: the common pool is small and must not be tied up by blocking reads.
            Thread thread = new Thread(runnable, "process-drain");
            thread.setDaemon(true);
            thread.start();
        });
    }
}
