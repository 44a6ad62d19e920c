package dev.reelroute.web;

import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.ImageHeaderReader;
import dev.reelroute.media.InvalidMediaException;
import dev.reelroute.media.MediaCompleteness;
import dev.reelroute.media.MediaKind;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.MediaSniffer;
import dev.reelroute.media.ProbeResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The checks every uploaded image and audio file goes through, on every surface: the type is sniffed from the
 * bytes (415 otherwise), an image's size is read from its header before any decoding, audio is probed for its
 * length. Failures are {@link ApiException}s with the field named.
 */
@Component
public class UploadChecks {
    private static final Set<MediaKind> IMAGE_KINDS = EnumSet.of(MediaKind.JPEG, MediaKind.PNG, MediaKind.WEBP);
    private static final Set<MediaKind> VIDEO_KINDS = EnumSet.of(MediaKind.MP4, MediaKind.MOV, MediaKind.WEBM,
            MediaKind.MKV);
    private static final Set<MediaKind> AUDIO_KINDS = EnumSet.of(MediaKind.MP3, MediaKind.WAV, MediaKind.M4A, MediaKind.OGG);

    private final MediaSniffer sniffer;
    private final ImageHeaderReader imageHeaders;
    private final MediaProbe probe;
    private final ReelrouteProperties.Limits limits;

    public UploadChecks(MediaSniffer sniffer, ImageHeaderReader imageHeaders, MediaProbe probe,
                        ReelrouteProperties properties) {
        this.sniffer = sniffer;
        this.imageHeaders = imageHeaders;
        this.probe = probe;
        this.limits = properties.limits();
    }

    public record CheckedImage(Path file, MediaKind kind, ImageDimensions size) {}

    public record CheckedAudio(Path file, MediaKind kind, long durationMs) {}

    public record CheckedVideo(Path file, MediaKind kind, ProbeResult probe) {}

    public CheckedImage image(Path file, String field) throws IOException {
        MediaKind kind = sniff(file, field, IMAGE_KINDS, "image/jpeg, image/png, image/webp");
        ImageDimensions size;
        try {
            size = imageHeaders.read(file, kind);
        } catch (InvalidMediaException corrupt) {
            throw ApiException.badRequest("The " + field + " could not be read: " + corrupt.getMessage());
        }
        if (size.width() < 16 || size.height() < 16) {
            throw ApiException.badRequest("The " + field + " is " + size.width() + "x" + size.height()
                    + " pixels; it must be at least 16x16");
        }
        if (size.width() > limits.imageMaxDimension() || size.height() > limits.imageMaxDimension()
                || (long) size.width() * size.height() > limits.imageMaxPixels()) {
            throw ApiException.badRequest("The " + field + " is " + size.width() + "x" + size.height()
                    + " pixels; the limit is " + limits.imageMaxDimension() + " pixels per side and "
                    + limits.imageMaxPixels() + " pixels in all");
        }
        complete(() -> MediaCompleteness.image(file, kind), field);
        return new CheckedImage(file, kind, size);
    }

    public CheckedAudio audio(Path file, String field) throws IOException {
        MediaKind kind = sniff(file, field, AUDIO_KINDS, "mp3, wav, m4a, ogg");
        ProbeResult result;
        try {
            result = probe.probe(file);
        } catch (InvalidMediaException corrupt) {
            throw ApiException.badRequest("The " + field + " could not be read: " + corrupt.getMessage());
        }
        if (!result.hasAudio()) {
            throw ApiException.badRequest("The " + field + " file has no audio stream");
        }
        long durationMs = Math.round(result.durationSeconds() * 1000);
        double seconds = result.durationSeconds();
        complete(() -> MediaCompleteness.audio(file, kind, seconds), field);
        if (durationMs < limits.audioMinDuration().toMillis()) {
            throw ApiException.badRequest("The " + field + " is too short: it must last at least "
                    + limits.audioMinDuration().toMillis() + " ms");
        }
        if (durationMs > limits.audioMaxDuration().toMillis()) {
            throw ApiException.badRequest("The " + field + " lasts " + (durationMs / 1000) + " s; the limit is "
                    + limits.audioMaxDuration().toSeconds() + " s");
        }
        return new CheckedAudio(file, kind, durationMs);
    }

    /**
     * A video: container sniffed from the bytes (415), then probed: unreadable, without a video stream or without
     * length is a 422; past the length, frame size or stream count limits a 400.
     */
    public CheckedVideo video(Path file, String field) throws IOException {
        MediaKind kind = sniff(file, field, VIDEO_KINDS, "mp4, mov, webm, mkv");
        ProbeResult result;
        try {
            result = probe.probe(file);
        } catch (InvalidMediaException corrupt) {
            throw new ApiException(422, "The " + field + " could not be read as a video: " + corrupt.getMessage());
        }
        if (!result.hasVideo()) {
            throw new ApiException(422, "The " + field + " has no video stream");
        }
        if (!(result.durationSeconds() > 0) || result.width() <= 0 || result.height() <= 0) {
            throw new ApiException(422, "The " + field + " has no frames to work with (0 seconds or no picture)");
        }
        if (result.durationSeconds() * 1000 > limits.videoMaxDuration().toMillis()) {
            throw ApiException.badRequest(String.format(java.util.Locale.ROOT, "The %s lasts %.1f s; the limit is %d s",
                    field, result.durationSeconds(), limits.videoMaxDuration().toSeconds()));
        }
        if (Math.max(result.width(), result.height()) > limits.videoMaxDimension()) {
            throw ApiException.badRequest("The " + field + " is " + result.width() + "x" + result.height()
                    + "; the limit is " + limits.videoMaxDimension() + " pixels per side");
        }
        if (result.streamCount() > limits.videoMaxStreams()) {
            throw ApiException.badRequest("The " + field + " has " + result.streamCount() + " streams; the limit is "
                    + limits.videoMaxStreams());
        }
        return new CheckedVideo(file, kind, result);
    }

    private interface StructureCheck {
        void run() throws IOException;
    }

    /** A file cut short or garbled is a 400 naming the field, before anything stores or decodes it. */
    private static void complete(StructureCheck check, String field) throws IOException {
        try {
            check.run();
        } catch (InvalidMediaException corrupt) {
            throw ApiException.badRequest("The " + field + " could not be read: " + corrupt.getMessage());
        }
    }

    private MediaKind sniff(Path file, String field, Set<MediaKind> accepted, String acceptedNames) throws IOException {
        if (Files.size(file) == 0) {
            throw ApiException.badRequest("The '" + field + "' file is empty");
        }
        MediaKind kind = sniffer.sniff(file).orElse(null);
        if (kind == null || !accepted.contains(kind)) {
            throw new ApiException(415, "Unsupported " + field + " type"
                    + (kind == null ? "" : " (" + kind.mimeType() + ")") + ": accepts " + acceptedNames);
        }
        return kind;
    }
}
