package dev.reelroute.media;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Which ffmpeg renders and what probes media. Order: the configured path ({@code reelroute.ffmpeg.path}), then
 * {@code ffmpeg} on the PATH, then the static build bundled in the jar (ws.schild jave-nativebin: ffmpeg 4.4.1
 * linked statically, so it needs nothing from the system), extracted once to {@code reelroute.cache-dir}.
 * Probing uses ffprobe when one is configured or on the PATH, else ffmpeg itself (the bundled build has no ffprobe).
 * <p>
 * An ffmpeg counts as usable only once it has answered {@code -version}. A usable one is kept; a failure is kept
 * for 30 s, so an operator who installs ffmpeg does not have to restart, while a broken setup is
 * not retried on every request.
 */
@Component
public class FfmpegBinaries {

    public static final String SOURCE_CONFIGURED = "configured";
    public static final String SOURCE_PATH = "path";
    public static final String SOURCE_BUNDLED = "bundled";

    private static final Duration RETRY_AFTER = Duration.ofSeconds(30);
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);
    private static final String BUNDLED_RESOURCE = "ws/schild/jave/nativebin/ffmpeg-amd64";
    private static final String BUNDLED_VERSION_RESOURCE =
            "META-INF/maven/ws.schild/jave-nativebin-linux64/pom.properties";

    private static final Logger log = LoggerFactory.getLogger(FfmpegBinaries.class);

    /** What renders: the ffmpeg, its source, its version line, and the ffprobe beside it if there is one. */
    public record Resolved(String ffmpeg, String source, String version, Optional<String> ffprobe) {
    }

    private record Attempt(Resolved resolved, FfmpegUnavailableException failure, long atNanos) {
    }

    private final String configuredFfmpeg;
    private final String configuredFfprobe;
    private final String pathVariable;
    private final Path cacheDir;
    private final Duration retryAfter;
    private volatile Attempt attempt;

    @Autowired // Spring needs to be told which constructor to use
    public FfmpegBinaries(@Value("${reelroute.ffmpeg.path:}") String ffmpegPath,
                          @Value("${reelroute.ffprobe.path:}") String ffprobePath,
                          @Value("${reelroute.ffmpeg.search-path:true}") boolean searchPath,
                          @Value("${reelroute.cache-dir:}") String cacheDir) {
        this(ffmpegPath, ffprobePath, searchPath ? System.getenv("PATH") : null,
                cacheDir == null || cacheDir.isBlank() ? BundledFiles.defaultCacheDir() : Path.of(cacheDir.strip()));
    }

    /** The configured paths, else the PATH, else the bundled build extracted under the user's cache. */
    public FfmpegBinaries(String ffmpegPath, String ffprobePath) {
        this(ffmpegPath, ffprobePath, System.getenv("PATH"), BundledFiles.defaultCacheDir());
    }

    /** {@code pathVariable} null: no PATH lookup. */
    FfmpegBinaries(String ffmpegPath, String ffprobePath, String pathVariable, Path cacheDir) {
        this(ffmpegPath, ffprobePath, pathVariable, cacheDir, RETRY_AFTER);
    }

    FfmpegBinaries(String ffmpegPath, String ffprobePath, String pathVariable, Path cacheDir, Duration retryAfter) {
        this.configuredFfmpeg = ffmpegPath == null ? "" : ffmpegPath.strip();
        this.configuredFfprobe = ffprobePath == null ? "" : ffprobePath.strip();
        this.pathVariable = pathVariable;
        this.cacheDir = cacheDir;
        this.retryAfter = retryAfter;
    }

    /** The bundled build alone, as on a machine with no ffmpeg installed. */
    public static FfmpegBinaries bundledOnly() {
        return new FfmpegBinaries("", "", null, BundledFiles.defaultCacheDir());
    }

    /** The ffmpeg to run; throws {@link FfmpegUnavailableException} saying why when there is none that runs. */
    public String ffmpeg() {
        return resolved().ffmpeg();
    }

    /** The ffprobe to probe with, or empty when probing must ask ffmpeg itself. */
    public Optional<String> ffprobe() {
        return resolved().ffprobe();
    }

    /** "configured", "path" or "bundled". */
    public String source() {
        return resolved().source();
    }

    /** For the submission routes: refuses work up front, before anything is stored, when nothing can render it. */
    public void requireUsable() {
        resolved();
    }

    public Resolved resolved() {
        Attempt current = attempt;
        if (needsResolving(current)) {
            synchronized (this) {
                current = attempt;
                if (needsResolving(current)) {
                    current = resolveNow();
                    attempt = current;
                }
            }
        }
        if (current.failure() != null) {
            throw current.failure();
        }
        return current.resolved();
    }

    private boolean needsResolving(Attempt attempt) {
        return attempt == null
                || (attempt.failure() != null && System.nanoTime() - attempt.atNanos() >= retryAfter.toNanos());
    }

    private Attempt resolveNow() {
        try {
            String source;
            String ffmpeg;
            if (!configuredFfmpeg.isEmpty()) {
                source = SOURCE_CONFIGURED;
                ffmpeg = configuredFfmpeg;
            } else {
                Optional<Path> onPath = findOnPath("ffmpeg");
                source = onPath.isPresent() ? SOURCE_PATH : SOURCE_BUNDLED;
                ffmpeg = onPath.isPresent() ? onPath.get().toString() : extractBundled().toString();
            }
            String version = version(ffmpeg, source);
            Optional<String> ffprobe = configuredFfprobe.isEmpty()
                    ? findOnPath("ffprobe").map(Path::toString)
                    : Optional.of(configuredFfprobe);
            Resolved resolved = new Resolved(ffmpeg, source, version, ffprobe);
            log.info("Rendering with {} ({}: {}); probing with {}", ffmpeg, source, version,
                    ffprobe.orElse(ffmpeg + " (no ffprobe)"));
            return new Attempt(resolved, null, System.nanoTime());
        } catch (FfmpegUnavailableException e) {
            log.error("No usable FFmpeg: {}", e.getMessage());
            return new Attempt(null, e, System.nanoTime());
        } catch (RuntimeException | LinkageError e) {
            FfmpegUnavailableException failure = new FfmpegUnavailableException("FFmpeg could not be set up: " + e, e);
            log.error("No usable FFmpeg", e);
            return new Attempt(null, failure, System.nanoTime());
        }
    }

    /** The first line of {@code ffmpeg -version}; an ffmpeg that cannot answer it is not usable. */
    private static String version(String ffmpeg, String source) {
        String advice = SOURCE_CONFIGURED.equals(source)
                ? "fix reelroute.ffmpeg.path (REELROUTE_FFMPEG_PATH) or leave it empty"
                : "install ffmpeg or set reelroute.ffmpeg.path (REELROUTE_FFMPEG_PATH)";
        Path path;
        try {
            path = Path.of(ffmpeg);
        } catch (InvalidPathException e) {
            throw new FfmpegUnavailableException("the " + source + " ffmpeg '" + ffmpeg + "' is not a valid path; "
                    + advice, e);
        }
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new FfmpegUnavailableException("the " + source + " ffmpeg " + ffmpeg
                    + " is not an executable file; " + advice, null);
        }
        try {
            ProcessRunner.Result result = ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-version"),
                    VERSION_TIMEOUT, 4096);
            String firstLine = result.stdoutText().lines().findFirst().orElse("").strip();
            if (result.exitCode() != 0 || !firstLine.startsWith("ffmpeg version")) {
                throw new FfmpegUnavailableException("the " + source + " ffmpeg " + ffmpeg + " does not run (exit "
                        + result.exitCode() + ": " + firstLineOf(result.stderr()) + "); " + advice, null);
            }
            return firstLine;
        } catch (IOException e) {
            throw new FfmpegUnavailableException("the " + source + " ffmpeg " + ffmpeg + " could not be started ("
                    + e.getMessage() + "); " + advice, e);
        }
    }

    private static String firstLineOf(String text) {
        String line = text.strip().lines().findFirst().orElse("no output");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }

    private Optional<Path> findOnPath(String name) {
        return findExecutableOnPath(name, pathVariable);
    }

    /** Looks through the directories of a PATH string ourselves; spawning `which` would need a shell. */
    public static Optional<Path> findExecutableOnPath(String name, String pathVariable) {
        if (pathVariable == null || pathVariable.isBlank()) {
            return Optional.empty();
        }
        for (String directory : pathVariable.split(File.pathSeparator)) {
            if (directory.isBlank()) {
                continue; // an empty entry means "current directory", which we never want to trust
            }
            try {
                Path candidate = Path.of(directory, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            } catch (InvalidPathException ignored) {
                // a malformed PATH entry is skipped like any missing directory
            }
        }
        return Optional.empty();
    }

    /** The bundled executable under {@code <cache-dir>/ffmpeg-jave-<version>/ffmpeg}, extracted on first use. */
    Path extractBundled() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new FfmpegUnavailableException("no ffmpeg on the PATH and no bundled build for " + os + "/" + arch
                    + " (the jar bundles one for linux/amd64); install ffmpeg or set reelroute.ffmpeg.path "
                    + "(REELROUTE_FFMPEG_PATH)", null);
        }
        Path target = cacheDir.resolve("ffmpeg-" + bundledVersion()).resolve("ffmpeg");
        boolean fresh = !Files.isRegularFile(target);
        try {
            BundledFiles.extract(BUNDLED_RESOURCE, target, true);
        } catch (NoSuchFileException e) {
            throw new FfmpegUnavailableException("no ffmpeg on the PATH and the bundled build is missing from the "
                    + "classpath (ws.schild:jave-nativebin-linux64); install ffmpeg or set reelroute.ffmpeg.path", e);
        } catch (IOException e) {
            throw new FfmpegUnavailableException("no ffmpeg on the PATH and the bundled build could not be extracted "
                    + "to " + target.getParent() + " (" + e.getMessage() + "); set reelroute.cache-dir "
                    + "(REELROUTE_CACHE_DIR) to a writable directory, install ffmpeg or set reelroute.ffmpeg.path", e);
        }
        if (fresh) {
            log.info("Extracted the bundled ffmpeg to {}", target);
        }
        return target;
    }

    private static String bundledVersion() {
        try (InputStream in = FfmpegBinaries.class.getClassLoader().getResourceAsStream(BUNDLED_VERSION_RESOURCE)) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return "jave-" + properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "jave-unknown";
        }
    }
}
