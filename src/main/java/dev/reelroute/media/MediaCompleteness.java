package dev.reelroute.media;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Whether an upload holds all the bytes its own header promises, checked from the container structure without
 * decoding: a truncated or garbled file would otherwise be accepted and only fail (or render garbage) in a worker.
 * Run after the header's size limits, so a hostile header is refused by those first.
 */
public final class MediaCompleteness {
    /**
     * The lowest MP3 frame bitrate there is (MPEG-2.5 Layer III); frames keep their size even for silence, so fewer
     * bits per second of claimed length means the header lies. AAC, Vorbis and Opus have no such floor (silence
     * can take under 4 kbit/s), so they are not judged this way.
     */
    static final long MIN_MP3_BITS_PER_SECOND = 8000;

    private MediaCompleteness() {}

    /** Throws {@link InvalidMediaException} when the image's container ends before its header says. */
    public static void image(Path file, MediaKind kind) throws IOException {
        switch (kind) {
            case PNG -> pngChunks(file);
            case JPEG -> jpegEndsWithEoi(file);
            case WEBP -> riffFits(file, "WebP");
            default -> throw new IllegalArgumentException("not an image kind: " + kind);
        }
    }

    /**
     * Throws {@link InvalidMediaException} when the audio holds fewer bytes than its declared length needs: a WAV
     * whose chunks claim more than the file has, or an MP3 under the lowest MP3 bitrate for its probed length.
     */
    public static void audio(Path file, MediaKind kind, double durationSeconds) throws IOException {
        if (kind == MediaKind.WAV) {
            riffFits(file, "WAV");
            wavDataFits(file);
        }
        long bytes = Files.size(file);
        if (kind == MediaKind.MP3 && durationSeconds > 0 && bytes * 8 / durationSeconds < MIN_MP3_BITS_PER_SECOND) {
            throw new InvalidMediaException(String.format(java.util.Locale.ROOT,
                    "its header claims %.0f s but the file holds only %d bytes", durationSeconds, bytes));
        }
    }

    /** Every chunk's length and CRC, up to IEND: truncation and garbling both break the chain. */
    private static void pngChunks(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            in.skipNBytes(8);
            byte[] buffer = new byte[64 * 1024];
            while (true) {
                long length = Integer.toUnsignedLong(in.readInt());
                byte[] type = in.readNBytes(4);
                if (type.length < 4 || length > Files.size(file)) {
                    throw new InvalidMediaException("PNG chunk structure is broken");
                }
                CRC32 crc = new CRC32();
                crc.update(type);
                for (long left = length; left > 0; ) {
                    int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (read < 0) {
                        throw new EOFException();
                    }
                    crc.update(buffer, 0, read);
                    left -= read;
                }
                if (Integer.toUnsignedLong(in.readInt()) != crc.getValue()) {
                    throw new InvalidMediaException("PNG chunk checksum does not match (the file is corrupt)");
                }
                if (new String(type, java.nio.charset.StandardCharsets.ISO_8859_1).equals("IEND")) {
                    return;
                }
            }
        } catch (EOFException e) {
            throw new InvalidMediaException("PNG is truncated (no IEND chunk)", e);
        }
    }

    /**
     * An end-of-image marker follows the first start-of-scan: entropy-coded data stuffs every 0xFF, so the first
     * FF D9 after the scan starts is the image's end. Whatever follows it (cameras append trailers) is tolerated.
     */
    private static void jpegEndsWithEoi(Path file) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            boolean scanning = false;
            int previous = -1;
            for (int current = in.read(); current >= 0; current = in.read()) {
                if (previous == 0xFF && current == 0xDA) {
                    scanning = true;
                } else if (scanning && previous == 0xFF && current == 0xD9) {
                    return;
                }
                previous = current;
            }
        }
        throw new InvalidMediaException("JPEG is truncated or corrupt (no end-of-image marker)");
    }

    /** The RIFF size field, plus its 8-byte header, must fit in the file. */
    private static void riffFits(Path file, String format) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(8);
            if (header.length < 8) {
                throw new InvalidMediaException(format + " header is truncated");
            }
            long riffSize = littleEndian32(header, 4);
            if (riffSize + 8 > Files.size(file)) {
                throw new InvalidMediaException(format + " header claims " + (riffSize + 8) + " bytes but the file has "
                        + Files.size(file));
            }
        }
    }

    private static void wavDataFits(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            in.skipNBytes(12);
            long position = 12;
            while (position + 8 <= size) {
                byte[] chunk = in.readNBytes(8);
                long length = littleEndian32(chunk, 4);
                String id = new String(chunk, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
                position += 8;
                if (length > size - position) {
                    throw new InvalidMediaException("WAV " + id.strip() + " chunk claims " + length
                            + " bytes but only " + (size - position) + " follow");
                }
                if (id.equals("data")) {
                    return;
                }
                long padded = length + (length & 1);
                in.skipNBytes(Math.min(padded, size - position));
                position += padded;
            }
        } catch (EOFException e) {
            throw new InvalidMediaException("WAV is truncated", e);
        }
        throw new InvalidMediaException("WAV has no data chunk");
    }

    private static long littleEndian32(byte[] b, int offset) {
        return (b[offset] & 0xFFL) | (b[offset + 1] & 0xFFL) << 8 | (b[offset + 2] & 0xFFL) << 16
                | (b[offset + 3] & 0xFFL) << 24;
    }
}
