package dev.reelroute.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Makes real media files with ffmpeg, so tests see exactly what users upload. ffmpeg is found as the service
 * finds it: REELROUTE_FFMPEG_PATH / REELROUTE_FFPROBE_PATH, else PATH, else the build bundled in the jar.
 */
public final class Fixtures {

    /** A name or text made of the characters that break filter graphs and shells, for paths and prompts. */
    public static final String HOSTILE = "it's [a],b;c:d=%d \\x $(y) ";

    public static final FfmpegBinaries BINARIES =
            new FfmpegBinaries(System.getenv("REELROUTE_FFMPEG_PATH"), System.getenv("REELROUTE_FFPROBE_PATH"));
    public static final String FFMPEG = BINARIES.ffmpeg();
    public static final String FFPROBE = BINARIES.ffprobe()
            .orElseThrow(() -> new IllegalStateException("these tests read media with ffprobe: apt-get install ffmpeg"));

    private Fixtures() {
    }

    /** Runs ffmpeg -y with the given arguments and fails the test if it fails. */
    public static Path ffmpeg(Path output, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(arguments));
        // ffmpeg picks the muxer from the extension and would expand '%d' in the name (of the directory too), so
        // write to a plain name in the system's temporary directory first and move it to the requested name.
        String name = output.getFileName().toString();
        Path plain = Files.createTempFile("fixture", name.substring(Math.max(0, name.lastIndexOf('.'))));
        command.add(plain.toString());
        ProcessRunner.Result result = ProcessRunner.run(command, Duration.ofSeconds(60), 64 * 1024);
        assertThat(result.exitCode()).as("ffmpeg %s: %s", command, result.stderr()).isZero();
        return Files.move(plain, output, StandardCopyOption.REPLACE_EXISTING);
    }

    public static Path image(Path output, int width, int height, String... encoderArguments) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=s=" + width + "x" + height,
                // testsrc2 rounds odd sizes down to even; scale restores the exact size we asked for.
                "-vf", "scale=" + width + ":" + height, "-frames:v", "1"));
        arguments.addAll(List.of(encoderArguments));
        return ffmpeg(output, arguments.toArray(String[]::new));
    }

    public static Path sine(Path output, double seconds, String... encoderArguments) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds,
                "-ac", "2"));
        arguments.addAll(List.of(encoderArguments));
        return ffmpeg(output, arguments.toArray(String[]::new));
    }

    public static Path video(Path output, String... encoderArguments) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=s=320x240:rate=25:duration=1",
                "-f", "lavfi", "-i", "sine=duration=1"));
        arguments.addAll(List.of(encoderArguments));
        return ffmpeg(output, arguments.toArray(String[]::new));
    }

    /** Runs a command built by the code under test and fails the test if it fails. */
    public static void run(List<String> command) throws IOException {
        ProcessRunner.Result result = ProcessRunner.run(command, Duration.ofSeconds(120), 64 * 1024);
        assertThat(result.exitCode()).as("%s\n%s", command, result.stderr()).isZero();
    }

    public static String streamValue(Path file, String stream, String entry) throws IOException {
        ProcessRunner.Result result = ProcessRunner.run(List.of(FFPROBE, "-v", "error", "-select_streams",
                stream, "-show_entries", "stream=" + entry, "-of", "default=noprint_wrappers=1:nokey=1",
                file.toString()), Duration.ofSeconds(20), 64 * 1024);
        return result.stdoutText().strip();
    }

    /** Types of the top-level ISO-BMFF boxes, in file order. */
    public static List<String> topLevelBoxes(Path file) throws IOException {
        List<String> types = new ArrayList<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            while (position + 8 <= channel.size()) {
                ByteBuffer header = ByteBuffer.allocate(16);
                channel.read(header, position);
                long size = Integer.toUnsignedLong(header.getInt(0));
                types.add(new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1));
                if (size == 1) {
                    size = header.getLong(8);
                } else if (size == 0) {
                    break;
                }
                if (size < 8) {
                    throw new AssertionError("corrupt box at " + position);
                }
                position += size;
            }
        }
        return types;
    }

    private static final Pattern MEAN_VOLUME = Pattern.compile("mean_volume: (-?[0-9.]+|-inf) dB");

    /** volumedetect's mean (RMS) level of the whole audio track, dBFS. */
    public static double meanVolume(Path media) throws IOException {
        return meanVolume(media, "volumedetect");
    }

    /** The mean level of the audio between {@code fromSeconds} and {@code toSeconds}, dBFS. */
    public static double meanVolume(Path media, double fromSeconds, double toSeconds) throws IOException {
        return meanVolume(media, String.format(Locale.ROOT, "atrim=start=%.3f:end=%.3f,volumedetect", fromSeconds,
                toSeconds));
    }

    private static double meanVolume(Path media, String filter) throws IOException {
        ProcessRunner.Result result = ProcessRunner.run(List.of(FFMPEG, "-nostdin", "-hide_banner",
                "-i", media.toString(), "-map", "0:a:0", "-af", filter, "-f", "null", "-"),
                Duration.ofSeconds(60), 64 * 1024);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        Matcher m = MEAN_VOLUME.matcher(result.stderr());
        assertThat(m.find()).as(result.stderr()).isTrue();
        return m.group(1).equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(m.group(1));
    }
}
