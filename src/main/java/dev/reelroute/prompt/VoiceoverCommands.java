package dev.reelroute.prompt;

import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.MediaProbe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.reelroute.config.ReelrouteProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * Voiceovers spoken on this machine by espeak-ng. The script goes into a file that espeak-ng reads as plain text
 * ({@code -f}, UTF-8, no SSML: that needs {@code -m}); the command holds only the settings and our paths. The WAV is
 * 22.05 kHz mono; {@link PromptVideoCommands#render} mixes it as it is, and {@link MediaProbe} tells its length.
 */
@Component
public class VoiceoverCommands {

    public static final int MAX_SCRIPT_CHARS = 1000;
    public static final int MIN_WORDS_PER_MINUTE = 80;
    public static final int MAX_WORDS_PER_MINUTE = 450;
    /** espeak-ng voice names: "en-us", "en-us+f3", "mb/mb-en1"; nothing an option parser could take for a flag. */
    static final Pattern VOICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_+/-]{0,63}");

    private static final Logger log = LoggerFactory.getLogger(VoiceoverCommands.class);

    private final String espeak;
    private final String voice;
    private final int wordsPerMinute;
    private final SingletonSupplier<Optional<String>> executable = SingletonSupplier.of(this::locate);

    @Autowired // Spring needs to be told which of the two constructors to use
    public VoiceoverCommands(ReelrouteProperties properties) {
        this(properties.tts() != null ? properties.tts() : new ReelrouteProperties.Tts(null, null, 0));
    }

    /** Blank settings mean espeak-ng on PATH, en-us and 160 words per minute, like application.yaml. */
    public VoiceoverCommands(ReelrouteProperties.Tts tts) {
        this.espeak = tts.espeakPath() == null || tts.espeakPath().isBlank() ? "espeak-ng" : tts.espeakPath().strip();
        this.voice = tts.voice() == null || tts.voice().isBlank() ? "en-us" : tts.voice().strip();
        this.wordsPerMinute = tts.wordsPerMinute() == 0 ? 160 : tts.wordsPerMinute();
        if (!VOICE.matcher(voice).matches()) {
            throw new IllegalArgumentException("reelroute.tts.voice is not an espeak-ng voice name: " + voice);
        }
        if (wordsPerMinute < MIN_WORDS_PER_MINUTE || wordsPerMinute > MAX_WORDS_PER_MINUTE) {
            throw new IllegalArgumentException("reelroute.tts.words-per-minute must be within " + MIN_WORDS_PER_MINUTE
                    + ".." + MAX_WORDS_PER_MINUTE + ": " + wordsPerMinute);
        }
    }

    /** Whether espeak-ng is installed (the configured path, or the name on PATH); looked up once. */
    public boolean available() {
        return executable.obtain().isPresent();
    }

    /**
     * Writes {@code script} to {@code file} for {@link #speak}: white space and control characters folded into
     * single spaces, cut at {@value #MAX_SCRIPT_CHARS} characters. Returns the text written.
     */
    public static String writeScript(String script, Path file) throws IOException {
        String text = script == null ? "" : script.replaceAll("[\\s\\p{Cntrl}]+", " ").strip();
        if (text.length() > MAX_SCRIPT_CHARS) {
            int end = MAX_SCRIPT_CHARS;
            if (Character.isHighSurrogate(text.charAt(end - 1))) {
                end--; // never half a character
            }
            text = text.substring(0, end);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return text;
    }

    /** espeak-ng speaking the UTF-8 text in {@code scriptFile} into {@code wav}. */
    public List<String> speak(Path scriptFile, Path wav) {
        FfmpegCommands.requireNonNull(scriptFile, "scriptFile");
        FfmpegCommands.requireNonNull(wav, "wav");
        return List.of(executable.obtain().orElse(espeak), "-v", voice, "-s", Integer.toString(wordsPerMinute),
                "-b", "1", // the script file is UTF-8
                "-w", wav.toAbsolutePath().toString(), "-f", scriptFile.toAbsolutePath().toString());
    }

    private Optional<String> locate() {
        Optional<String> found = find();
        if (found.isPresent()) {
            log.info("Voiceovers are spoken by {}", found.get());
        } else {
            log.warn("{} not found: voiceovers are unavailable (apt-get install espeak-ng, or set "
                    + "reelroute.tts.espeak-path)", espeak);
        }
        return found;
    }

    private Optional<String> find() {
        if (espeak.contains("/")) {
            Path path = Path.of(espeak).toAbsolutePath();
            return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path.toString())
                    : Optional.empty();
        }
        return FfmpegBinaries.findExecutableOnPath(espeak, System.getenv("PATH")).map(Path::toString);
    }
}
