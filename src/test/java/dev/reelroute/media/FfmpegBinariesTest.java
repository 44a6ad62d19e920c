package dev.reelroute.media;

import dev.reelroute.imageaudio.ImageAudioCommands;
import dev.reelroute.imageaudio.ImageAudioRender;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FfmpegBinariesTest {

    /** What a machine with only the base system has: glibc's own libraries and its loader. */
    private static final Set<String> GLIBC = Set.of("libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2",
            "librt.so.1", "ld-linux-x86-64.so.2");

    @TempDir
    Path dir;

    @Test
    void configuredPathWinsOverPathAndBundled() throws IOException {
        Path onPath = fakeFfmpeg(dir.resolve("on-path"));
        String configured = FfmpegBinaries.bundledOnly().ffmpeg();

        FfmpegBinaries binaries = new FfmpegBinaries(" " + configured + " ", "", onPath.toString(), dir.resolve("cache"));

        assertThat(binaries.ffmpeg()).isEqualTo(configured);
        assertThat(binaries.source()).isEqualTo("configured");
        assertThat(binaries.resolved().version()).startsWith("ffmpeg version");
    }

    @Test
    void pathWinsOverBundledAndItsFfprobeProbes() throws IOException {
        Path bin = dir.resolve("bin");
        fakeFfmpeg(bin);
        fakeProgram(bin.resolve("ffprobe"), "ffprobe version fake");
        Path cache = dir.resolve("cache");

        FfmpegBinaries binaries = new FfmpegBinaries("", "", ":" + bin, cache);

        assertThat(binaries.source()).isEqualTo("path");
        assertThat(binaries.ffmpeg()).isEqualTo(bin.resolve("ffmpeg").toString());
        assertThat(binaries.ffprobe()).contains(bin.resolve("ffprobe").toString());
        assertThat(cache).as("nothing extracted when the PATH has one").doesNotExist();
    }

    @Test
    void withoutFfmpegOnThePathTheBundledBuildRendersAndProbes() throws IOException {
        Path cache = dir.resolve("cache");
        FfmpegBinaries binaries = new FfmpegBinaries("", "", dir.resolve("empty").toString(), cache);

        assertThat(binaries.source()).isEqualTo("bundled");
        assertThat(Path.of(binaries.ffmpeg())).startsWith(cache).isExecutable();
        assertThat(binaries.ffprobe()).as("the static build has no ffprobe: ffmpeg itself probes").isEmpty();
        assertThat(binaries.resolved().version()).startsWith("ffmpeg version 4.4");
    }

    @Test
    void theBundledExecutableNeedsNothingButGlibc() throws IOException {
        Path ffmpeg = Path.of(FfmpegBinaries.bundledOnly().ffmpeg());

        List<String> needed = neededLibraries(ffmpeg);

        assertThat(needed).as("shared libraries %s needs", ffmpeg).allMatch(GLIBC::contains);
    }

    @Test
    void theElfReaderSeesTheLibrariesOfADynamicExecutable() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");

        assertThat(neededLibraries(java)).contains("libc.so.6");
    }

    @Test
    void theBundledBuildRendersAnImageAudioJobAndReadsItBack() throws IOException {
        FfmpegBinaries bundled = FfmpegBinaries.bundledOnly();
        MediaProbe probe = new MediaProbe(bundled);
        Path image = Fixtures.ffmpeg(dir.resolve("still.png"), "-f", "lavfi", "-i", "testsrc2=size=640x360",
                "-frames:v", "1");
        Path audio = Fixtures.sine(dir.resolve("voice.wav"), 2.0);
        ProbeResult audioProbe = probe.probe(audio);
        ImageAudioRender render = new ImageAudioRender(bundled.ffmpeg(), image,
                new ImageHeaderReader().read(image, new MediaSniffer().sniff(image).orElseThrow()), audio,
                audioProbe.durationSeconds(), new RenderSize(640, 360), 25, FitMode.AUTO, CameraMotion.gentleDefault(),
                dir.resolve("output.mp4"), dir.resolve("thumbnail.jpg"), dir.resolve("progress.txt"));
        ImageAudioCommands commands = new ImageAudioCommands();

        run(commands.imageWithAudio(render));
        run(commands.thumbnail(render));

        ProbeResult video = probe.probe(render.outputVideo());
        assertThat(video.videoCodec()).isEqualTo("h264");
        assertThat(video.audioCodec()).isEqualTo("aac");
        assertThat(video.width()).isEqualTo(640);
        assertThat(video.height()).isEqualTo(360);
        assertThat(video.durationSeconds()).isCloseTo(2.0, within(0.15));
        assertThat(probe.probe(render.outputThumbnail()).videoCodec()).isEqualTo("mjpeg");
    }

    @Test
    void aConfiguredFfmpegThatIsNotThereIsUnavailableWithTheReason() {
        String missing = dir.resolve("nowhere/ffmpeg").toString();
        FfmpegBinaries binaries = new FfmpegBinaries(missing, "", null, dir.resolve("cache"));

        assertThatThrownBy(binaries::requireUsable)
                .isInstanceOf(FfmpegUnavailableException.class)
                .hasMessageContaining(missing)
                .hasMessageContaining("not an executable file")
                .hasMessageContaining("REELROUTE_FFMPEG_PATH");
        assertThatThrownBy(binaries::ffmpeg).isInstanceOf(FfmpegUnavailableException.class);
    }

    @Test
    void anFfmpegInstalledAfterAFailureIsFoundWithoutARestart() throws IOException {
        Path later = dir.resolve("later/ffmpeg");
        FfmpegBinaries binaries = new FfmpegBinaries(later.toString(), "", null, dir.resolve("cache"), Duration.ZERO);
        assertThatThrownBy(binaries::requireUsable).isInstanceOf(FfmpegUnavailableException.class);

        fakeProgram(later, "ffmpeg version installed-later");

        assertThat(binaries.ffmpeg()).isEqualTo(later.toString());
        assertThat(binaries.resolved().version()).isEqualTo("ffmpeg version installed-later");
    }

    @Test
    void aFailureIsKeptForAWhileRatherThanRetriedOnEveryRequest() throws IOException {
        Path later = dir.resolve("later/ffmpeg");
        FfmpegBinaries binaries = new FfmpegBinaries(later.toString(), "", null, dir.resolve("cache"),
                Duration.ofHours(1));
        assertThatThrownBy(binaries::requireUsable).isInstanceOf(FfmpegUnavailableException.class);

        fakeProgram(later, "ffmpeg version installed-later");

        assertThatThrownBy(binaries::requireUsable).isInstanceOf(FfmpegUnavailableException.class);
    }

    @Test
    void anFfmpegThatDoesNotRunIsUnavailable() throws IOException {
        Path broken = fakeProgram(dir.resolve("bin/ffmpeg"), "segfault", 139);
        FfmpegBinaries binaries = new FfmpegBinaries(broken.toString(), "", null, dir.resolve("cache"));

        assertThatThrownBy(binaries::requireUsable)
                .isInstanceOf(FfmpegUnavailableException.class)
                .hasMessageContaining("does not run (exit 139");
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

    private static Path fakeFfmpeg(Path directory) throws IOException {
        return fakeProgram(directory.resolve("ffmpeg"), "ffmpeg version fake", 0);
    }

    private static Path fakeProgram(Path file, String firstLine) throws IOException {
        return fakeProgram(file, firstLine, 0);
    }

    private static Path fakeProgram(Path file, String firstLine, int exitCode) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\necho '" + firstLine + "'\nexit " + exitCode + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static void run(List<String> command) throws IOException {
        ProcessRunner.Result result = ProcessRunner.run(command, Duration.ofMinutes(2), 64 * 1024);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
    }

    /**
     * The DT_NEEDED entries of a 64-bit little-endian ELF file, read from its dynamic segment; none for a static
     * executable (one with no PT_DYNAMIC segment). Read here rather than with readelf, which a fresh machine lacks.
     */
    static List<String> neededLibraries(Path elf) throws IOException {
        ByteBuffer file = ByteBuffer.wrap(Files.readAllBytes(elf)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(file.getInt(0)).as("ELF magic").isEqualTo(0x464c457f);
        assertThat(file.get(4)).as("64-bit").isEqualTo((byte) 2);
        long programHeaders = file.getLong(0x20);
        int entrySize = Short.toUnsignedInt(file.getShort(0x36));
        int count = Short.toUnsignedInt(file.getShort(0x38));
        List<long[]> loads = new ArrayList<>(); // {vaddr, offset, filesz}
        long dynamicOffset = -1;
        long dynamicSize = 0;
        for (int i = 0; i < count; i++) {
            int header = (int) (programHeaders + (long) i * entrySize);
            int type = file.getInt(header);
            long offset = file.getLong(header + 0x08);
            long vaddr = file.getLong(header + 0x10);
            long fileSize = file.getLong(header + 0x20);
            if (type == 1) {
                loads.add(new long[] {vaddr, offset, fileSize});
            } else if (type == 2) {
                dynamicOffset = offset;
                dynamicSize = fileSize;
            }
        }
        if (dynamicOffset < 0) {
            return List.of();
        }
        List<Long> neededOffsets = new ArrayList<>();
        long stringTable = -1;
        for (long at = dynamicOffset; at + 16 <= dynamicOffset + dynamicSize; at += 16) {
            long tag = file.getLong((int) at);
            long value = file.getLong((int) at + 8);
            if (tag == 0) {
                break;
            } else if (tag == 1) {
                neededOffsets.add(value);
            } else if (tag == 5) {
                stringTable = value;
            }
        }
        List<String> needed = new ArrayList<>();
        for (long nameOffset : neededOffsets) {
            int start = (int) (fileOffset(loads, stringTable) + nameOffset);
            int end = start;
            while (file.get(end) != 0) {
                end++;
            }
            byte[] name = new byte[end - start];
            file.get(start, name);
            needed.add(new String(name, StandardCharsets.US_ASCII));
        }
        return needed;
    }

    private static long fileOffset(List<long[]> loads, long vaddr) {
        for (long[] load : loads) {
            if (vaddr >= load[0] && vaddr < load[0] + load[2]) {
                return vaddr - load[0] + load[1];
            }
        }
        throw new IllegalStateException("address " + vaddr + " is in no loaded segment");
    }
}
