package dev.reelroute.ops;

import dev.reelroute.media.FfmpegBinaries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness component {@code ffmpeg}: the ffmpeg this instance renders with (configured, on PATH, or the bundled
 * build) is an executable file and answers {@code -version}. FFmpeg is started at most once per
 * {@code reelroute.health.ffmpeg-cache} (a minute by default); probes in between get the last answer.
 */
@Component
public class FfmpegHealthIndicator implements HealthIndicator {
    private static final long VERSION_TIMEOUT_SECONDS = 10;

    private final FfmpegBinaries binaries;
    private final CachedHealth cached;

    public FfmpegHealthIndicator(FfmpegBinaries binaries,
                                 @Value("${reelroute.health.ffmpeg-cache:60s}") Duration cache) {
        this.binaries = binaries;
        this.cached = new CachedHealth(cache, this::check);
    }

    @Override
    public Health health() {
        return cached.get();
    }

    private Health check() {
        String ffmpeg;
        try {
            ffmpeg = binaries.ffmpeg();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", "No ffmpeg: " + e.getMessage()).build();
        }
        Path path = Path.of(ffmpeg);
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            return Health.down().withDetail("path", ffmpeg).withDetail("error", "not an executable file").build();
        }
        Process process = null;
        try {
            // an argument list, never a shell; the output is of no interest, only that it runs
            process = new ProcessBuilder(List.of(ffmpeg, "-hide_banner", "-version"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return Health.down().withDetail("path", ffmpeg)
                        .withDetail("error", "ffmpeg -version did not answer in " + VERSION_TIMEOUT_SECONDS + " s")
                        .build();
            }
            if (process.exitValue() != 0) {
                return Health.down().withDetail("path", ffmpeg)
                        .withDetail("error", "ffmpeg -version exited with " + process.exitValue()).build();
            }
            return Health.up().withDetail("path", ffmpeg).withDetail("source", binaries.source()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().withDetail("path", ffmpeg).build();
        } catch (Exception e) {
            return Health.down().withDetail("path", ffmpeg).withDetail("error", e.getMessage()).build();
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
