package dev.reelroute.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Every reelroute setting, bound from application.yaml (each one a placeholder with a default). */
@ConfigurationProperties(prefix = "reelroute")
public record ReelrouteProperties(
        Path dataDir,
        String publicBaseUrl,
        String adminToken,
        String urlSigningSecret,
        Duration videoLinkTtl,
        Bootstrap bootstrap,
        Limits limits,
        RateLimit rateLimit,
        Render render,
        Ffmpeg ffmpeg,
        Jobs jobs,
        Recovery recovery,
        Webhooks webhooks,
        Projects projects,
        VideoJobs videoJobs,
        Generate generate,
        Jwt jwt,
        Tts tts) {

    /**
     * HS256 JWTs as Bearer credentials. An empty secret refuses every JWT (API keys still work); a set one must be
     * at least 32 bytes. Issuer and audience are checked only when set. Tokens without {@code exp} are refused
     * unless {@code requireExpiry} is false.
     */
    public record Jwt(String secret, String issuer, String audience, boolean requireExpiry, Duration clockSkew) {
        @Override
        public String toString() {
            return "Jwt[secret=" + (secret == null || secret.isEmpty() ? "unset" : "set") + ", issuer=" + issuer
                    + ", audience=" + audience + ", requireExpiry=" + requireExpiry + ", clockSkew=" + clockSkew + "]";
        }
    }

    public record Bootstrap(String apiKey, String webhookSecret, long tokens) {}

    /** Upload bounds: images by header, audio and videos by probe (videos: length, frame size, stream count). */
    public record Limits(int imageMaxDimension, long imageMaxPixels, Duration audioMaxDuration, Duration audioMinDuration,
                         Duration videoMaxDuration, int videoMaxDimension, int videoMaxStreams) {}

    public record RateLimit(int apiPerMinute, int submitPerMinute) {}

    /**
     * Output video defaults. {@code fontFile}: the TrueType/OpenType font of title cards; empty means a well-known
     * system font, else the one fontconfig names.
     */
    public record Render(int width, int height, int fps, String fit, String fontFile) {}

    public record Ffmpeg(String path, Duration timeout) {}

    /** The job workers; {@code maxDuration} bounds one attempt at a job, from its claim to its end. */
    public record Jobs(boolean workerEnabled, int consumers, int compileConcurrency, Duration maxDuration) {}

    /**
     * How work survives a worker that dies. A worker holds a lease on each job and project run it works on and
     * renews it every {@code heartbeatInterval}; a lease not renewed for {@code lease} lets another worker (or this
     * one, restarted) take the work over, and the sweep (every {@code sweepInterval}) hands such work back to the
     * queue, as well as work whose queue message has waited longer than {@code resendAfter} (a message that was
     * never sent or was lost). Work taken over more than {@code maxTakeovers} times fails. The watchdog checks
     * every {@code watchInterval} for work that was cancelled or ran past its time limit, and stops it.
     */
    public record Recovery(Duration lease, Duration heartbeatInterval, Duration sweepInterval, Duration resendAfter,
                           int maxTakeovers, Duration watchInterval) {}

    /** Video projects: clip bounds, parallelism, retries, run limits, and the local engine's price. */
    public record Projects(int maxClips, double clipDefaultSeconds, double clipMinSeconds, double clipMaxSeconds,
                           double transitionSeconds, int clipConcurrency, int clipRetries, long clipRetryDelayMs,
                           int renderThreads, Duration maxRunDuration, Duration publicTokenTtl, String provider,
                           java.math.BigDecimal localCostPerSecond) {}

    /** /api/v1/video-jobs: the default token price of a job and the per-account concurrency. */
    public record VideoJobs(long tokenCost, int maxConcurrentPerAccount) {}

    /**
     * /api/generate: how long a video without a script lasts, the bounds of one with a voiceover,
     * the estimate given before any job of the kind has finished, and the jobs an account may have running.
     */
    public record Generate(int defaultSeconds, int maxSeconds, int initialEstimateSeconds, int maxConcurrentPerAccount) {}

    /** Voiceovers spoken by espeak-ng: the executable (a name looked up on PATH, or a path), voice and speed. */
    public record Tts(String espeakPath, String voice, int wordsPerMinute) {}

    /**
     * Webhook delivery: {@code schedule} is the delay before each attempt (its length is the number of attempts),
     * spread by ±{@code jitter}; a receiver's Retry-After is honoured up to {@code maxRetryAfter}.
     */
    public record Webhooks(boolean allowInsecureUrls, java.util.List<Duration> schedule, double jitter,
                           Duration maxRetryAfter, int consumers) {}
}
