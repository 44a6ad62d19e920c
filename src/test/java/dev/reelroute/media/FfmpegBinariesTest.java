package dev.reelroute.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class FfmpegBinariesTest {

    @TempDir
    Path dir;

    @Test
    void configuredPathsWin() {
        FfmpegBinaries binaries = new FfmpegBinaries("/opt/ff/ffmpeg", " /opt/ff/ffprobe ");
        assertThat(binaries.ffmpeg()).isEqualTo("/opt/ff/ffmpeg");
        assertThat(binaries.ffprobe()).isEqualTo("/opt/ff/ffprobe");
        assertThat(binaries.source()).isEqualTo("configured");
    }

    @Test
    void blankConfigurationUsesPath() {
        // /usr/bin/ffmpeg is installed on the build machines.
        FfmpegBinaries binaries = new FfmpegBinaries("", "  ");
        assertThat(binaries.source()).isEqualTo("path");
        assertThat(Path.of(binaries.ffmpeg())).isAbsolute().endsWith(Path.of("ffmpeg"));
        assertThat(Path.of(binaries.ffprobe())).isAbsolute().endsWith(Path.of("ffprobe"));
    }

    @Test
    void pathLookupSkipsNonExecutablesAndEmptyEntries() throws IOException {
        Path notExecutable = Files.createDirectories(dir.resolve("a"));
        Files.writeString(notExecutable.resolve("ffmpeg"), "");
        Path executable = Files.createDirectories(dir.resolve("b"));
        Files.writeString(executable.resolve("ffmpeg"), "");
        Files.setPosixFilePermissions(executable.resolve("ffmpeg"), PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = ":" + notExecutable + ":" + dir.resolve("missing") + ":" + executable;

        assertThat(FfmpegBinaries.findExecutableOnPath("ffmpeg", path)).contains(executable.resolve("ffmpeg"));
        assertThat(FfmpegBinaries.findExecutableOnPath("ffprobe", path)).isEmpty();
        assertThat(FfmpegBinaries.findExecutableOnPath("ffmpeg", null)).isEmpty();
    }

    @Test
    void bundledExecutablesFromBytedecoJarRun() throws IOException {
        FfmpegBinaries bundled = new FfmpegBinaries("", "", false);

        assertThat(bundled.source()).isEqualTo("bundled");
        for (String executable : List.of(bundled.ffmpeg(), bundled.ffprobe())) {
            ProcessRunner.Result version = ProcessRunner.run(List.of(executable, "-version"),
                    Duration.ofSeconds(30), 64 * 1024);
            assertThat(version.exitCode()).as(version.stderr()).isZero();
            assertThat(version.stdoutText()).startsWith(Path.of(executable).getFileName() + " version");
        }
    }
}
