package dev.reelroute.media;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/**
 * Asks FFmpeg what a file contains: ffprobe's JSON when there is an ffprobe, else the stream summary that ffmpeg
 * prints for its input (the bundled static build has no ffprobe). Either way the file name is its own argument (no
 * shell), only local files may be opened, the output is capped at 1 MB and the process is killed after 20 s,
 * because crafted files can make demuxers slow or chatty.
 */
@Component
public class MediaProbe {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final int MAX_JSON_BYTES = 1024 * 1024;
    /** Longer than anything we render; a larger value is a corrupt or hostile header. */
    static final double MAX_PLAUSIBLE_DURATION_SECONDS = 48 * 3600;
    static final int MAX_PLAUSIBLE_DIMENSION = 65_536;
    static final double MAX_PLAUSIBLE_FPS = 1000;

    private final FfmpegBinaries binaries;
    private final ObjectMapper json = new ObjectMapper();

    public MediaProbe(FfmpegBinaries binaries) {
        this.binaries = binaries;
    }

    public ProbeResult probe(Path file) throws IOException {
        Optional<String> ffprobe = binaries.ffprobe();
        if (ffprobe.isEmpty()) {
            return probeWithFfmpeg(binaries.ffmpeg(), file);
        }
        List<String> command = command(ffprobe.get(), file);
        ProcessRunner.Result result;
        try {
            result = ProcessRunner.run(command, TIMEOUT, MAX_JSON_BYTES);
        } catch (ProcessRunner.TimeoutException e) {
            throw new InvalidMediaException(file.getFileName() + " could not be read as media (ffprobe timed out)", e);
        }
        if (result.exitCode() != 0) {
            throw new InvalidMediaException(file.getFileName() + " could not be read as media: "
                    + firstLine(result.stderr()));
        }
        if (result.stdoutTruncated()) {
            throw new InvalidMediaException(file.getFileName() + " could not be read as media (ffprobe output over "
                    + MAX_JSON_BYTES + " bytes)");
        }
        try {
            return parse(json.readTree(result.stdout()));
        } catch (IOException | RuntimeException e) {
            throw new InvalidMediaException(file.getFileName() + " could not be read as media (unparseable ffprobe output)", e);
        }
    }

    /** ffmpeg with an input and no output prints the input's summary and exits 1; the summary is what we read. */
    static ProbeResult probeWithFfmpeg(String ffmpeg, Path file) throws IOException {
        ProcessRunner.Result result;
        try {
            result = ProcessRunner.runWithStderrInOutput(List.of(ffmpeg, "-hide_banner", "-nostdin", "-v", "info",
                    "-protocol_whitelist", "file", "-i", file.toAbsolutePath().toString()), TIMEOUT, MAX_JSON_BYTES);
        } catch (ProcessRunner.TimeoutException e) {
            throw new InvalidMediaException(file.getFileName() + " could not be read as media (ffmpeg timed out)", e);
        }
        if (result.stdoutTruncated()) {
            throw new InvalidMediaException(file.getFileName() + " could not be read as media (ffmpeg output over "
                    + MAX_JSON_BYTES + " bytes)");
        }
        String output = result.stdoutText();
        return FfmpegInputSummary.parse(output).orElseThrow(() -> new InvalidMediaException(file.getFileName()
                + " could not be read as media: " + lastLine(output)));
    }

    static List<String> command(String ffprobe, Path file) {
        return List.of(ffprobe, "-v", "error",
                // Stops playlist-like formats (HLS, concat) from fetching URLs on our behalf.
                "-protocol_whitelist", "file",
                "-print_format", "json", "-show_format", "-show_streams",
                // Absolute, so a name starting with '-' can't be read as an option.
                file.toAbsolutePath().toString());
    }

    static ProbeResult parse(JsonNode root) {
        JsonNode format = root.path("format");
        JsonNode streams = root.path("streams");
        if (!format.isObject() || !streams.isArray()) {
            throw new InvalidMediaException("ffprobe reported no format or streams");
        }
        JsonNode video = null;
        JsonNode audio = null;
        double longestStream = 0;
        for (JsonNode stream : streams) {
            String type = stream.path("codec_type").asText();
            // Cover art in MP3/M4A is a video stream to ffprobe but not video to us.
            boolean coverArt = stream.path("disposition").path("attached_pic").asInt(0) == 1;
            if (type.equals("video") && !coverArt && video == null) {
                video = stream;
            } else if (type.equals("audio") && audio == null) {
                audio = stream;
            }
            longestStream = Math.max(longestStream, seconds(stream.path("duration")));
        }
        double duration = seconds(format.path("duration"));
        if (duration <= 0) {
            duration = longestStream;
        }
        return new ProbeResult(
                duration,
                video != null,
                audio != null,
                video == null ? 0 : dimension(video.path("width")),
                video == null ? 0 : dimension(video.path("height")),
                video == null ? 0 : frameRate(video),
                video == null ? null : textOrNull(video.path("codec_name")),
                audio == null ? null : textOrNull(audio.path("codec_name")),
                streams.size(),
                textOrNull(format.path("format_name")));
    }

    /** ffprobe writes numbers as strings and "N/A" when unknown; anything implausible counts as unknown. */
    private static double seconds(JsonNode node) {
        double value = parseDouble(node.asText(""));
        return value > 0 && value <= MAX_PLAUSIBLE_DURATION_SECONDS ? value : 0;
    }

    private static int dimension(JsonNode node) {
        int value = node.asInt(0);
        return value > 0 && value <= MAX_PLAUSIBLE_DIMENSION ? value : 0;
    }

    private static double frameRate(JsonNode stream) {
        double fps = rational(stream.path("avg_frame_rate").asText(""));
        if (fps <= 0) {
            fps = rational(stream.path("r_frame_rate").asText(""));
        }
        return fps > 0 && fps <= MAX_PLAUSIBLE_FPS ? fps : 0;
    }

    /** "30000/1001" → 29.97; "0/0" or garbage → 0. */
    static double rational(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return parseDouble(text);
        }
        double numerator = parseDouble(text.substring(0, slash));
        double denominator = parseDouble(text.substring(slash + 1));
        return denominator > 0 ? numerator / denominator : 0;
    }

    private static double parseDouble(String text) {
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) ? value : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        String line = lines.isEmpty() ? "ffmpeg failed" : lines.get(lines.size() - 1);
        // ffmpeg names the file it could not read; our temp file's path is of no use to the client
        int colon = line.indexOf(": ");
        if (colon > 0 && line.startsWith("/")) {
            line = line.substring(colon + 2);
        }
        return line.length() > 300 ? line.substring(0, 300) : line;
    }

    private static String firstLine(String text) {
        String line = text.strip().lines().findFirst().orElse("ffprobe failed");
        return line.length() > 300 ? line.substring(0, 300) : line;
    }
}
