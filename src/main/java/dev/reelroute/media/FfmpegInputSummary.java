package dev.reelroute.media;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the summary {@code ffmpeg -i FILE} prints for its first input (the lines under {@code Input #0}) into the
 * same {@link ProbeResult} that ffprobe's JSON gives. Lines inside a {@code Metadata:} block are skipped whole: tag
 * values come from the file, and a crafted tag must not pass for a stream line.
 */
final class FfmpegInputSummary {

    private static final Pattern INPUT = Pattern.compile("^Input #0, (.+?), from '");
    private static final Pattern DURATION = Pattern.compile("^ {2}Duration: (?:N/A|(\\d+):(\\d{2}):(\\d{2}(?:\\.\\d+)?))");
    private static final Pattern STREAM = Pattern.compile(
            "^( {2}| {4})Stream #0:\\d+(?:\\[0x[0-9a-fA-F]+])?(?:\\([^)]*\\))?: (Video|Audio|Subtitle|Data|Attachment): (.*)$");
    private static final Pattern CODEC = Pattern.compile("^([A-Za-z0-9_]+)");
    private static final Pattern SIZE = Pattern.compile(", (\\d{1,6})x(\\d{1,6})(?=[ ,]|$)");
    private static final Pattern FPS = Pattern.compile(", (\\d+(?:\\.\\d+)?)(k?) fps");
    private static final Pattern TBR = Pattern.compile(", (\\d+(?:\\.\\d+)?)(k?) tbr");

    private FfmpegInputSummary() {
    }

    /** Empty when ffmpeg printed no summary (it could not open or read the file). */
    static Optional<ProbeResult> parse(String output) {
        String formatName = null;
        double duration = 0;
        int streams = 0;
        String video = null;
        String audio = null;
        boolean inInput = false;
        int metadataIndent = -1;
        for (String line : output.split("\r?\n")) {
            int indent = indentOf(line);
            if (metadataIndent >= 0) {
                if (indent > metadataIndent) {
                    continue;
                }
                metadataIndent = -1;
            }
            Matcher input = INPUT.matcher(line);
            if (input.find()) {
                inInput = true;
                formatName = input.group(1);
                continue;
            }
            if (!inInput) {
                continue;
            }
            if (indent == 0) {
                break; // the summary of input #0 is over (another input, or ffmpeg's closing complaint)
            }
            if (line.strip().equals("Metadata:")) {
                metadataIndent = indent;
                continue;
            }
            Matcher durationLine = DURATION.matcher(line);
            if (durationLine.find()) {
                if (durationLine.group(1) != null) {
                    // hours as a double: a crafted container's duration prints more hours than an int holds
                    duration = Double.parseDouble(durationLine.group(1)) * 3600.0
                            + Integer.parseInt(durationLine.group(2)) * 60.0
                            + Double.parseDouble(durationLine.group(3));
                }
                continue;
            }
            Matcher stream = STREAM.matcher(line);
            if (stream.find()) {
                streams++;
                String details = stream.group(3);
                boolean coverArt = details.contains("(attached pic)");
                if (stream.group(2).equals("Video") && !coverArt && video == null) {
                    video = details;
                } else if (stream.group(2).equals("Audio") && audio == null) {
                    audio = details;
                }
            }
        }
        if (formatName == null) {
            return Optional.empty();
        }
        boolean plausibleDuration = duration > 0 && duration <= MediaProbe.MAX_PLAUSIBLE_DURATION_SECONDS;
        int width = 0;
        int height = 0;
        double fps = 0;
        if (video != null) {
            Matcher size = SIZE.matcher(video);
            if (size.find()) {
                width = dimension(size.group(1));
                height = dimension(size.group(2));
            }
            fps = rate(FPS.matcher(video));
            if (fps <= 0) {
                fps = rate(TBR.matcher(video));
            }
        }
        return Optional.of(new ProbeResult(plausibleDuration ? duration : 0, video != null, audio != null,
                width, height, fps > 0 && fps <= MediaProbe.MAX_PLAUSIBLE_FPS ? fps : 0,
                codec(video), codec(audio), streams, formatName));
    }

    private static int indentOf(String line) {
        int indent = 0;
        while (indent < line.length() && line.charAt(indent) == ' ') {
            indent++;
        }
        return indent;
    }

    private static String codec(String details) {
        if (details == null) {
            return null;
        }
        Matcher codec = CODEC.matcher(details);
        return codec.find() ? codec.group(1) : null;
    }

    private static int dimension(String digits) {
        int value = Integer.parseInt(digits);
        return value > 0 && value <= MediaProbe.MAX_PLAUSIBLE_DIMENSION ? value : 0;
    }

    private static double rate(Matcher matcher) {
        if (!matcher.find()) {
            return 0;
        }
        double value = Double.parseDouble(matcher.group(1));
        return matcher.group(2).isEmpty() ? value : value * 1000;
    }
}
