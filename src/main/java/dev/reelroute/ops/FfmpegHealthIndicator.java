package dev.reelroute.ops;

import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.FfmpegUnavailableException;
import dev.reelroute.media.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness component {@code ffmpeg}: the ffmpeg this instance renders with (configured, on PATH, or the bundled
 * build) is an executable file and answers {@code -version}; when there is none, the reason and what to do. FFmpeg is started at most once per
 * {@code reelroute.health.ffmpeg-cache} (a minute by default); probes in between get the last answer.
 */
@Component
public class FfmpegHealthIndicator implements HealthIndicator {
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);

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
        } catch (FfmpegUnavailableException e) {
            return Health.down().withDetail("error", e.getMessage()).build();
        }
        Path path = Path.of(ffmpeg);
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            return Health.down().withDetail("path", ffmpeg).withDetail("error", "not an executable file").build();
        }
        try {
            // an argument list, never a shell; the output is of no interest, only that it runs
            ProcessRunner.Result result = ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-version"),
                    VERSION_TIMEOUT, 4096);
            if (result.exitCode() != 0) {
                return Health.down().withDetail("path", ffmpeg)
                        .withDetail("error", "ffmpeg -version exited with " + result.exitCode()).build();
            }
            return Health.up().withDetail("path", ffmpeg).withDetail("source", binaries.source()).build();
        } catch (ProcessRunner.TimeoutException e) {
            return Health.down().withDetail("path", ffmpeg)
                    .withDetail("error", "ffmpeg -version did not answer in " + VERSION_TIMEOUT.toSeconds() + " s")
                    .build();
        } catch (Exception e) {
            if (Thread.currentThread().isInterrupted()) { // shutting down: no verdict
                return Health.unknown().withDetail("path", ffmpeg).build();
            }
            return Health.down().withDetail("path", ffmpeg).withDetail("error", e.getMessage()).build();
        }
    }
}
