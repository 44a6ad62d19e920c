package dev.reelroute.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Makes real media files with ffmpeg, so tests see exactly what users upload. ffmpeg is found as the service
 * finds it: REELROUTE_FFMPEG_PATH / REELROUTE_FFPROBE_PATH, else PATH, else the build bundled in the jar.
 */
final class Fixtures {

    static final FfmpegBinaries BINARIES =
            new FfmpegBinaries(System.getenv("REELROUTE_FFMPEG_PATH"), System.getenv("REELROUTE_FFPROBE_PATH"));
    static final String FFMPEG = BINARIES.ffmpeg();
    static final String FFPROBE = BINARIES.ffprobe();

    private Fixtures() {
    }

    /** Runs ffmpeg -y with the given arguments and fails the test if it fails. */
    static Path ffmpeg(Path output, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(arguments));
        // ffmpeg picks the muxer from the extension and would expand '%d' in the name, so write to a
        // plain name first and move it to the (possibly hostile) requested name afterwards.
        String name = output.getFileName().toString();
        Path plain = Files.createTempFile(output.getParent(), "fixture", name.substring(Math.max(0, name.lastIndexOf('.'))));
        command.add(plain.toString());
        ProcessRunner.Result result = ProcessRunner.run(command, Duration.ofSeconds(60), 64 * 1024);
        assertThat(result.exitCode()).as("ffmpeg %s: %s", command, result.stderr()).isZero();
        return Files.move(plain, output, StandardCopyOption.REPLACE_EXISTING);
    }

    static Path image(Path output, int width, int height, String... encoderArguments) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=s=" + width + "x" + height,
                // testsrc2 rounds odd sizes down to even; scale restores the exact size we asked for.
                "-vf", "scale=" + width + ":" + height, "-frames:v", "1"));
        arguments.addAll(List.of(encoderArguments));
        return ffmpeg(output, arguments.toArray(String[]::new));
    }

    static Path sine(Path output, double seconds, String... encoderArguments) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds,
                "-ac", "2"));
        arguments.addAll(List.of(encoderArguments));
        return ffmpeg(output, arguments.toArray(String[]::new));
    }

    static Path video(Path output, String... encoderArguments) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=s=320x240:rate=25:duration=1",
                "-f", "lavfi", "-i", "sine=duration=1"));
        arguments.addAll(List.of(encoderArguments));
        return ffmpeg(output, arguments.toArray(String[]::new));
    }
}
