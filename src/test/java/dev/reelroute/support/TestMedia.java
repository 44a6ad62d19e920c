package dev.reelroute.support;

import dev.reelroute.media.FfmpegBinaries;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Media files made for a test with the real ffmpeg, and reads of what ffprobe says about them. ffmpeg is found
 * as the service finds it (REELROUTE_FFMPEG_PATH, else PATH, else the build bundled in the jar).
 */
public final class TestMedia {
    private static final FfmpegBinaries BINARIES =
            new FfmpegBinaries(System.getenv("REELROUTE_FFMPEG_PATH"), System.getenv("REELROUTE_FFPROBE_PATH"));

    private TestMedia() {}

    public static Path png(Path dir, int width, int height) throws Exception {
        Path file = dir.resolve("image-" + width + "x" + height + ".png");
        ffmpeg("-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":duration=1", "-frames:v", "1",
                file.toString());
        return file;
    }

    public static Path wav(Path dir, double seconds) throws Exception {
        Path file = dir.resolve("audio-" + seconds + ".wav");
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=" + seconds, "-ar", "44100", file.toString());
        return file;
    }

    public static String ffmpegPath() {
        return BINARIES.ffmpeg();
    }

    public static void ffmpeg(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(BINARIES.ffmpeg(), "-v", "error", "-y", "-nostdin"));
        command.addAll(List.of(args));
        run(command);
    }

    /** ffprobe's answer for the entries asked, as "key=value" lines. */
    public static String ffprobe(Path file, String entries) throws Exception {
        return run(List.of(BINARIES.ffprobe(), "-v", "error", "-show_entries", entries, "-of", "default=noprint_wrappers=1",
                file.toString()));
    }

    public static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " failed: " + output);
        }
        return output;
    }

    /** The four-letter types of the file's top-level ISO-BMFF boxes, in order. */
    public static List<String> topLevelBoxes(Path mp4) throws IOException {
        byte[] bytes = Files.readAllBytes(mp4);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        List<String> boxes = new ArrayList<>();
        int position = 0;
        while (position + 8 <= bytes.length) {
            long size = Integer.toUnsignedLong(buffer.getInt(position));
            String type = new String(bytes, position + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (size == 1) {
                size = buffer.getLong(position + 8);
            } else if (size == 0) {
                size = bytes.length - position;
            }
            boxes.add(type);
            if (size < 8) {
                break;
            }
            position += (int) size;
        }
        return boxes;
    }
}
