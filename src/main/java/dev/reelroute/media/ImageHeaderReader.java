package dev.reelroute.media;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.stereotype.Component;

/**
 * Reads an image's width and height from its header without decoding any pixels, so a decompression
 * bomb (a tiny file declaring a gigantic canvas) can be rejected before anything allocates it.
 * Only a bounded prefix of the file is ever read.
 */
@Component
public class ImageHeaderReader {

    /** JPEG may put EXIF/ICC/XMP segments before the frame header; beyond this we give up. */
    static final int JPEG_SCAN_LIMIT_BYTES = 1024 * 1024;
    private static final int PNG_HEADER_BYTES = 8 + 8 + 8; // signature, IHDR length+type, width+height
    private static final int WEBP_HEADER_BYTES = 30;
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    public ImageDimensions read(Path file, MediaKind kind) throws IOException {
        if (kind == null || !kind.isImage()) {
            throw new IllegalArgumentException("not an image kind: " + kind);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return switch (kind) {
                case PNG -> readPng(in);
                case JPEG -> readJpeg(in);
                case WEBP -> readWebp(in);
                default -> throw new IllegalArgumentException("not an image kind: " + kind);
            };
        } catch (EOFException e) {
            throw new InvalidMediaException(kind + " header is truncated", e);
        }
    }

    private static ImageDimensions readPng(InputStream in) throws IOException {
        byte[] header = in.readNBytes(PNG_HEADER_BYTES);
        if (header.length < PNG_HEADER_BYTES) {
            throw new EOFException();
        }
        for (int i = 0; i < PNG_SIGNATURE.length; i++) {
            if (header[i] != PNG_SIGNATURE[i]) {
                throw new InvalidMediaException("PNG signature is missing");
            }
        }
        // IHDR must be the first chunk and is always 13 bytes long.
        if (int32BigEndian(header, 8) != 13 || !ascii(header, 12, 4).equals("IHDR")) {
            throw new InvalidMediaException("PNG does not start with an IHDR chunk");
        }
        // The spec caps both at 2^31-1, so a negative int means a corrupt header.
        return dimensions(int32BigEndian(header, 16), int32BigEndian(header, 20), "PNG");
    }

    private static ImageDimensions readJpeg(InputStream in) throws IOException {
        BoundedReader reader = new BoundedReader(in, JPEG_SCAN_LIMIT_BYTES);
        if (reader.read() != 0xFF || reader.read() != 0xD8) {
            throw new InvalidMediaException("JPEG start-of-image marker is missing");
        }
        while (true) {
            if (reader.read() != 0xFF) {
                throw new InvalidMediaException("JPEG segment does not start with a marker");
            }
            int marker = reader.read();
            while (marker == 0xFF) { // fill bytes before a marker are allowed
                marker = reader.read();
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // TEM and RSTn stand alone, no length
            }
            if (marker == 0xD9 || marker == 0xDA) {
                throw new InvalidMediaException("JPEG has no frame header before its image data");
            }
            int length = (reader.read() << 8) | reader.read();
            if (length < 2) {
                throw new InvalidMediaException("JPEG segment length is invalid");
            }
            if (isStartOfFrame(marker)) {
                // SOFn: length (2), precision (1), height (2), width (2)
                reader.read();
                int height = (reader.read() << 8) | reader.read();
                int width = (reader.read() << 8) | reader.read();
                // height 0 means "defined later by a DNL marker", which we don't follow.
                return dimensions(width, height, "JPEG");
            }
            reader.skip(length - 2);
        }
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static ImageDimensions readWebp(InputStream in) throws IOException {
        byte[] header = in.readNBytes(WEBP_HEADER_BYTES);
        if (header.length < 16) {
            throw new EOFException();
        }
        if (!ascii(header, 0, 4).equals("RIFF") || !ascii(header, 8, 4).equals("WEBP")) {
            throw new InvalidMediaException("WebP RIFF header is missing");
        }
        String chunk = ascii(header, 12, 4);
        // Chunk payload starts at 20, after the fourcc and its 4-byte size.
        switch (chunk) {
            case "VP8 " -> {
                // Lossy: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height (top 2 bits: scale).
                requireLength(header, 30);
                if ((header[23] & 0xFF) != 0x9D || (header[24] & 0xFF) != 0x01 || (header[25] & 0xFF) != 0x2A) {
                    throw new InvalidMediaException("WebP VP8 start code is missing");
                }
                return dimensions(int16LittleEndian(header, 26) & 0x3FFF, int16LittleEndian(header, 28) & 0x3FFF,
                        "WebP");
            }
            case "VP8L" -> {
                // Lossless: signature 0x2F, then 14 bits width-1 and 14 bits height-1, little-endian bit order.
                requireLength(header, 25);
                if ((header[20] & 0xFF) != 0x2F) {
                    throw new InvalidMediaException("WebP VP8L signature is missing");
                }
                int bits = (header[21] & 0xFF) | (header[22] & 0xFF) << 8 | (header[23] & 0xFF) << 16
                        | (header[24] & 0xFF) << 24;
                return dimensions((bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1, "WebP");
            }
            case "VP8X" -> {
                // Extended: flags (1), reserved (3), canvas width-1 (24 bit LE), canvas height-1 (24 bit LE).
                requireLength(header, 30);
                return dimensions(int24LittleEndian(header, 24) + 1, int24LittleEndian(header, 27) + 1, "WebP");
            }
            default -> throw new InvalidMediaException("WebP has an unknown first chunk");
        }
    }

    private static ImageDimensions dimensions(int width, int height, String format) {
        if (width <= 0 || height <= 0) {
            throw new InvalidMediaException(format + " header declares an invalid size " + width + "x" + height);
        }
        return new ImageDimensions(width, height);
    }

    private static void requireLength(byte[] header, int length) throws EOFException {
        if (header.length < length) {
            throw new EOFException();
        }
    }

    private static int int32BigEndian(byte[] b, int offset) {
        return (b[offset] & 0xFF) << 24 | (b[offset + 1] & 0xFF) << 16 | (b[offset + 2] & 0xFF) << 8
                | (b[offset + 3] & 0xFF);
    }

    private static int int16LittleEndian(byte[] b, int offset) {
        return (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8;
    }

    private static int int24LittleEndian(byte[] b, int offset) {
        return (b[offset] & 0xFF) | (b[offset + 1] & 0xFF) << 8 | (b[offset + 2] & 0xFF) << 16;
    }

    private static String ascii(byte[] b, int offset, int length) {
        return new String(b, offset, length, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Byte reader that fails instead of reading past the scan budget or the end of the file. */
    private static final class BoundedReader {
        private final InputStream in;
        private final int limit;
        private int consumed;

        BoundedReader(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        int read() throws IOException {
            if (consumed >= limit) {
                throw new InvalidMediaException("no JPEG frame header within the first " + limit + " bytes");
            }
            int value = in.read();
            if (value < 0) {
                throw new EOFException();
            }
            consumed++;
            return value;
        }

        void skip(int count) throws IOException {
            if ((long) consumed + count > limit) {
                throw new InvalidMediaException("no JPEG frame header within the first " + limit + " bytes");
            }
            in.skipNBytes(count); // throws EOFException at end of file
            consumed += count;
        }
    }
}
