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
        Webhooks webhooks,
        Projects projects,
        Tts tts) {

    public record Bootstrap(String apiKey, String webhookSecret) {}

    public record Limits(int imageMaxDimension, long imageMaxPixels, Duration audioMaxDuration, Duration audioMinDuration) {}

    public record RateLimit(int apiPerMinute, int submitPerMinute) {}

    /**
     * Output video defaults. {@code fontFile}: the TrueType/OpenType font of title cards; empty means a well-known
     * system font, else the one fontconfig names.
     */
    public record Render(int width, int height, int fps, String fit, String fontFile) {}

    public record Ffmpeg(String path, Duration timeout) {}

    public record Jobs(boolean workerEnabled, int consumers, int compileConcurrency) {}

    /** Video projects: clip bounds, parallelism, retries, run limits, and the local engine's price. */
    public record Projects(int maxClips, double clipDefaultSeconds, double clipMinSeconds, double clipMaxSeconds,
                           double transitionSeconds, int clipConcurrency, int clipRetries, long clipRetryDelayMs,
                           int renderThreads, Duration maxRunDuration, Duration publicTokenTtl, String provider,
                           java.math.BigDecimal localCostPerSecond) {}

    /** Voiceovers spoken by espeak-ng: the executable (a name looked up on PATH, or a path), voice and speed. */
    public record Tts(String espeakPath, String voice, int wordsPerMinute) {}

    public record Webhooks(boolean allowInsecureUrls, int retries, long retryDelayMs, double backoffMultiplier,
                           long maxRetryDelayMs, int consumers) {}
}
