package dev.reelroute.styletransfer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads what the {@code metadata} and {@code ametadata} filters write with {@code mode=print:file=…}: for each frame
 * a line {@code frame:N pts:P pts_time:T}, then one {@code key=value} line per metadata entry. Read as a stream, so
 * a long video's file never sits in memory whole, and at most {@link #MAX_FRAMES} frames.
 */
final class FrameMetadataFile {

    /** An hour at 240 fps; more than any analysis run can print. */
    static final int MAX_FRAMES = 864_000;

    private FrameMetadataFile() {
    }

    /** One frame's entries. */
    record Frame(double ptsTime, Map<String, String> values) {

        /** The entry as a number; NaN when it is missing or not a finite number ("nan", "-inf"). */
        double number(String key) {
            String value = values.get(key);
            if (value == null) {
                return Double.NaN;
            }
            try {
                double number = Double.parseDouble(value.strip());
                return Double.isFinite(number) ? number : Double.NaN;
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
    }

    /** Calls {@code visitor} for every frame in file order; a file that does not exist has no frames. */
    static void forEachFrame(Path file, Consumer<Frame> visitor) throws IOException {
        // A decoding reader, not Files.newBufferedReader: that one throws on bytes that are not UTF-8, and frame
        // metadata can carry text from the video itself (tags a decoder copies onto frames); such bytes become U+FFFD
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            Frame frame = null;
            int frames = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("frame:")) {
                    if (frame != null) {
                        visitor.accept(frame);
                    }
                    if (++frames > MAX_FRAMES) {
                        return;
                    }
                    frame = new Frame(ptsTime(line), new HashMap<>());
                } else if (frame != null) {
                    int equals = line.indexOf('=');
                    if (equals > 0) {
                        frame.values().put(line.substring(0, equals), line.substring(equals + 1));
                    }
                }
            }
            if (frame != null) {
                visitor.accept(frame);
            }
        } catch (NoSuchFileException e) {
            // the filter writes its file on the first frame; no frame, no file
        }
    }

    /** The {@code pts_time:} of a frame line; NaN when absent (ffmpeg prints "NOPTS" for frames without one). */
    private static double ptsTime(String line) {
        int start = line.indexOf("pts_time:");
        if (start < 0) {
            return Double.NaN;
        }
        String value = line.substring(start + "pts_time:".length()).strip().split("\\s+")[0];
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
