package dev.reelroute.media;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where the ffmpeg and ffprobe executables are. Order: configured paths
 * ({@code reelroute.ffmpeg.path}, {@code reelroute.ffprobe.path}), then {@code ffmpeg}/{@code ffprobe} on
 * the PATH, then the executables bundled in the org.bytedeco:ffmpeg jar (extracted to ~/.javacpp/cache).
 * Resolved lazily on first use, because extracting the bundled jar costs ~100 MB of disk and a few
 * seconds, and logged once so operators can see which build renders their videos.
 */
@Component
public class FfmpegBinaries {

    public static final String SOURCE_CONFIGURED = "configured";
    public static final String SOURCE_PATH = "path";
    public static final String SOURCE_BUNDLED = "bundled";

    private static final Logger log = LoggerFactory.getLogger(FfmpegBinaries.class);

    private record Resolved(String ffmpeg, String ffprobe, String source) {
    }

    private final String configuredFfmpeg;
    private final String configuredFfprobe;
    private final boolean searchPath;
    private volatile Resolved resolved;

    @Autowired // Spring needs to be told which of the two constructors to use
    public FfmpegBinaries(@Value("${reelroute.ffmpeg.path:}") String ffmpegPath,
                          @Value("${reelroute.ffprobe.path:}") String ffprobePath) {
        this(ffmpegPath, ffprobePath, true);
    }

    /** {@code searchPath=false} skips the PATH lookup so tests can force the bundled fallback. */
    FfmpegBinaries(String ffmpegPath, String ffprobePath, boolean searchPath) {
        this.configuredFfmpeg = ffmpegPath == null ? "" : ffmpegPath.strip();
        this.configuredFfprobe = ffprobePath == null ? "" : ffprobePath.strip();
        this.searchPath = searchPath;
    }

    public String ffmpeg() {
        return resolve().ffmpeg();
    }

    public String ffprobe() {
        return resolve().ffprobe();
    }

    /** "configured", "path" or "bundled" (for ffmpeg; ffprobe normally comes from the same place). */
    public String source() {
        return resolve().source();
    }

    private Resolved resolve() {
        Resolved current = resolved;
        if (current == null) {
            synchronized (this) {
                current = resolved;
                if (current == null) {
                    current = new Resolved(locate("ffmpeg", configuredFfmpeg), locate("ffprobe", configuredFfprobe),
                            sourceOf("ffmpeg", configuredFfmpeg));
                    log.info("Using ffmpeg {} and ffprobe {} (source: {})", current.ffmpeg(), current.ffprobe(),
                            current.source());
                    resolved = current;
                }
            }
        }
        return current;
    }

    private String sourceOf(String name, String configured) {
        if (!configured.isEmpty()) {
            return SOURCE_CONFIGURED;
        }
        return findOnPath(name).isPresent() ? SOURCE_PATH : SOURCE_BUNDLED;
    }

    private String locate(String name, String configured) {
        if (!configured.isEmpty()) {
            return configured;
        }
        return findOnPath(name).map(Path::toString).orElseGet(() -> extractBundled(name));
    }

    private Optional<Path> findOnPath(String name) {
        if (!searchPath) {
            return Optional.empty();
        }
        return findExecutableOnPath(name, System.getenv("PATH"));
    }

    /** Looks through the directories of a PATH string ourselves; spawning `which` would need a shell. */
    static Optional<Path> findExecutableOnPath(String name, String pathVariable) {
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

    private static String extractBundled(String name) {
        Class<?> program = switch (name) {
            case "ffmpeg" -> org.bytedeco.ffmpeg.ffmpeg.class;
            case "ffprobe" -> org.bytedeco.ffmpeg.ffprobe.class;
            default -> throw new IllegalArgumentException(name);
        };
        try {
            String path = Loader.load(program);
            if (path == null) {
                throw new IllegalStateException("org.bytedeco:ffmpeg has no " + name + " executable for platform "
                        + Loader.getPlatform() + "; install ffmpeg or set reelroute." + name + ".path");
            }
            return path;
        } catch (UnsatisfiedLinkError e) {
            throw new IllegalStateException("could not extract bundled " + name + " for platform "
                    + Loader.getPlatform() + "; install ffmpeg or set reelroute." + name + ".path", e);
        }
    }
}
