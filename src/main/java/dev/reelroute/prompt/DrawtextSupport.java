package dev.reelroute.prompt;

import dev.reelroute.media.BundledFiles;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.ProcessRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.reelroute.config.ReelrouteProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * What ffmpeg's {@code drawtext} needs on this machine: a font file, and an ffmpeg built with the filter (it
 * depends on libfreetype, which some builds leave out). Both answers are looked up once and kept: fonts and
 * ffmpeg builds do not change while the service runs.
 *
 * <p>The font is, in this order: {@code reelroute.render.font-file} when it names a readable file; the first of
 * {@link #WELL_KNOWN_FONTS} that exists (Debian/Ubuntu, Fedora, Alpine, Arch and macOS places); what
 * {@code fc-match} names for a bold sans-serif, when fontconfig is installed; else DejaVu Sans Bold from the jar
 * (net.sf.jasperreports:jasperreports-fonts), extracted to the cache directory, so a machine without fonts still
 * gets text on its title cards.
 */
@Component
public class DrawtextSupport {

    /** Bold first: a title card is read at a glance. */
    static final List<Path> WELL_KNOWN_FONTS = List.of(
            Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
            Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
            Path.of("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
            Path.of("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"),
            Path.of("/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
            Path.of("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
            Path.of("/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
            Path.of("/usr/share/fonts/liberation-sans/LiberationSans-Bold.ttf"),
            Path.of("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
            Path.of("/usr/share/fonts/noto/NotoSans-Bold.ttf"),
            Path.of("/usr/share/fonts/truetype/freefont/FreeSansBold.ttf"),
            Path.of("/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
            Path.of("/Library/Fonts/Arial Bold.ttf"));

    static final String BUNDLED_FONT = "net/sf/jasperreports/fonts/dejavu/DejaVuSans-Bold.ttf";

    static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(15);
    private static final int MAX_OUTPUT_BYTES = 256 * 1024;

    private static final Logger log = LoggerFactory.getLogger(DrawtextSupport.class);

    private final String configuredFont;
    private final List<Path> wellKnownFonts;
    private final boolean askFontconfig;
    private final Path cacheDir;
    private final SingletonSupplier<Optional<Path>> font = SingletonSupplier.of(this::locateFont);
    private final Map<String, Boolean> drawtextByFfmpeg = new ConcurrentHashMap<>();

    @Autowired // Spring needs to be told which of the constructors to use
    public DrawtextSupport(ReelrouteProperties properties, @Value("${reelroute.cache-dir:}") String cacheDir) {
        this(properties.render() == null ? null : properties.render().fontFile(), WELL_KNOWN_FONTS, true,
                cacheDir == null || cacheDir.isBlank() ? BundledFiles.defaultCacheDir() : Path.of(cacheDir.strip()));
    }

    /** Tests pass their own font places, {@code askFontconfig=false} and no cache dir, to see the card without a font. */
    DrawtextSupport(String configuredFont, List<Path> wellKnownFonts, boolean askFontconfig) {
        this(configuredFont, wellKnownFonts, askFontconfig, null);
    }

    /** {@code cacheDir} null: no bundled font. */
    DrawtextSupport(String configuredFont, List<Path> wellKnownFonts, boolean askFontconfig, Path cacheDir) {
        this.configuredFont = configuredFont == null ? "" : configuredFont.strip();
        this.wellKnownFonts = List.copyOf(wellKnownFonts);
        this.askFontconfig = askFontconfig;
        this.cacheDir = cacheDir;
    }

    /** The font title cards are drawn in, or empty when this machine has none we can find. */
    public Optional<Path> font() {
        return font.obtain();
    }

    /** Whether {@code ffmpeg -filters} lists drawtext; an ffmpeg that cannot be asked counts as without it. */
    public boolean drawtextAvailable(String ffmpeg) {
        Boolean known = drawtextByFfmpeg.get(ffmpeg);
        if (known != null) {
            return known;
        }
        try {
            ProcessRunner.Result result = ProcessRunner.run(List.of(ffmpeg, "-hide_banner", "-filters"),
                    LOOKUP_TIMEOUT, MAX_OUTPUT_BYTES);
            if (result.exitCode() != 0) {
                log.warn("{} -filters failed ({}): title cards will have no text", ffmpeg, result.exitCode());
                return false;
            }
            boolean available = listsFilter(result.stdoutText(), "drawtext");
            if (!available) {
                log.warn("{} has no drawtext filter (built without libfreetype): title cards will have no text",
                        ffmpeg);
            }
            drawtextByFfmpeg.put(ffmpeg, available);
            return available;
        } catch (IOException e) {
            // Not kept: the next card asks again.
            log.warn("Could not ask {} for its filters: {}", ffmpeg, e.getMessage());
            return false;
        }
    }

    /** {@code ffmpeg -filters} lines read " T.C drawtext  V->V  Draw text…": flags, name, pads, description. */
    static boolean listsFilter(String filtersOutput, String name) {
        return filtersOutput.lines().map(String::strip).map(line -> line.split("\\s+"))
                .anyMatch(fields -> fields.length >= 3 && fields[1].equals(name));
    }

    private Optional<Path> locateFont() {
        Optional<Path> found = findFont();
        if (found.isPresent()) {
            log.info("Title cards use the font {}", found.get());
        } else {
            log.warn("No font found for title cards: they will have no text. Install fonts-dejavu-core, set "
                    + "reelroute.render.font-file, or make reelroute.cache-dir writable for the bundled font");
        }
        return found;
    }

    private Optional<Path> findFont() {
        if (!configuredFont.isEmpty()) {
            Optional<Path> configured = readableFile(configuredFont);
            if (configured.isPresent()) {
                return configured;
            }
            log.warn("reelroute.render.font-file {} is not a readable file; looking for a system font",
                    configuredFont);
        }
        for (Path candidate : wellKnownFonts) {
            if (Files.isRegularFile(candidate) && Files.isReadable(candidate)) {
                return Optional.of(candidate);
            }
        }
        Optional<Path> system = askFontconfig ? fontconfigFont() : Optional.empty();
        return system.isPresent() ? system : bundledFont();
    }

    private Optional<Path> bundledFont() {
        if (cacheDir == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(BundledFiles.extract(BUNDLED_FONT, cacheDir.resolve("fonts").resolve("DejaVuSans-Bold.ttf"),
                    false));
        } catch (IOException e) {
            log.warn("Could not extract the bundled font to {}: {}", cacheDir, e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<Path> fontconfigFont() {
        Optional<Path> fcMatch = FfmpegBinaries.findExecutableOnPath("fc-match", System.getenv("PATH"));
        if (fcMatch.isEmpty()) {
            return Optional.empty();
        }
        try {
            ProcessRunner.Result result = ProcessRunner.run(
                    List.of(fcMatch.get().toString(), "-f", "%{file}", "sans-serif:bold"), LOOKUP_TIMEOUT, 4096);
            String file = result.stdoutText().strip();
            String lower = file.toLowerCase(Locale.ROOT);
            // fontconfig may answer with a bitmap or Type 1 font that drawtext renders badly or not at all.
            boolean outline = lower.endsWith(".ttf") || lower.endsWith(".otf") || lower.endsWith(".ttc");
            return result.exitCode() == 0 && outline ? readableFile(file) : Optional.empty();
        } catch (IOException e) {
            log.warn("fc-match failed: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<Path> readableFile(String path) {
        try {
            Path file = Path.of(path).toAbsolutePath();
            return Files.isRegularFile(file) && Files.isReadable(file) ? Optional.of(file) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
