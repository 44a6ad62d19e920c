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
        String ffprobe = BINARIES.ffprobe().orElseThrow(
                () -> new IllegalStateException("these tests read media with ffprobe: apt-get install ffmpeg"));
        return run(List.of(ffprobe, "-v", "error", "-show_entries", entries, "-of", "default=noprint_wrappers=1",
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

    /** A PNG signature and IHDR chunk declaring the size, with no pixel data behind it: a header-only bomb. */
    public static byte[] pngDeclaring(int width, int height) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + 25 + 12);
        buffer.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
        buffer.putInt(13);
        byte[] chunk = ByteBuffer.allocate(17).put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0)
                .array();
        buffer.put(chunk);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(chunk);
        buffer.putInt((int) crc.getValue());
        buffer.putInt(0).put("IEND".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0xAE426082);
        return buffer.array();
    }
}
