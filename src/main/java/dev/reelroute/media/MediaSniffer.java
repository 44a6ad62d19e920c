package dev.reelroute.media;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.apache.tika.Tika;
import org.apache.tika.detect.Detector;
import org.apache.tika.metadata.Metadata;
import org.springframework.stereotype.Component;

/**
 * Decides what a file is from its bytes only; the client's filename and Content-Type are never consulted
 * because they are attacker-controlled. Tika's magic detection gives the family; tika-core can't tell
 * MP4 from MOV from M4A, WebM from Matroska, or Opus-in-Ogg from Theora-in-Ogg, so for those we read the
 * ISO-BMFF brand/tracks, the EBML DocType and the first Ogg packet ourselves.
 */
@Component
public class MediaSniffer {

    private static final Set<String> M4A_BRANDS = Set.of("M4A ", "M4B ", "M4P ", "F4A ");
    private static final Set<String> MP4_BRANDS = Set.of("isom", "iso2", "iso3", "iso4", "iso5", "iso6",
            "iso7", "iso8", "iso9", "mp41", "mp42", "mp71", "avc1", "dash", "M4V ", "M4VH", "M4VP", "mmp4", "MSNV",
            "NDAS", "f4v ", "XAVC");
    /** Boxes we step over while looking for moov before giving up; real files have a handful. */
    private static final int MAX_BOXES = 1024;
    private static final int MAX_BOX_DEPTH = 4;

    private final Detector detector = new Tika().getDetector();

    public Optional<MediaKind> sniff(Path file) throws IOException {
        if (Files.size(file) == 0) {
            return Optional.empty();
        }
        String tikaType;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            // Empty Metadata on purpose: no resource name, so Tika can't fall back to the extension.
            tikaType = detector.detect(in, new Metadata()).getBaseType().toString();
        }
        return switch (tikaType) {
            case "image/jpeg" -> Optional.of(MediaKind.JPEG);
            case "image/png" -> Optional.of(MediaKind.PNG);
            case "image/webp" -> Optional.of(MediaKind.WEBP);
            case "audio/mpeg" -> Optional.of(MediaKind.MP3);
            case "audio/vnd.wave", "audio/wav", "audio/x-wav", "audio/wave" -> Optional.of(MediaKind.WAV);
            case "application/ogg", "audio/ogg", "audio/vorbis", "audio/opus", "audio/x-oggflac", "video/ogg" ->
                    oggKind(file);
            case "application/x-matroska", "video/x-matroska", "audio/x-matroska", "video/webm", "audio/webm" ->
                    matroskaKind(file);
            // Any ISO-BMFF family answer, or none at all: the ftyp brand decides.
            default -> isoBmffKind(file);
        };
    }

    // ---- ISO base media (MP4 / MOV / M4A) ----

    private static Optional<MediaKind> isoBmffKind(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = readAt(channel, 0, 12);
            if (head.remaining() < 12 || !"ftyp".equals(fourCc(head, 4))) {
                return Optional.empty();
            }
            String majorBrand = fourCc(head, 8);
            if ("qt  ".equals(majorBrand)) {
                return Optional.of(MediaKind.MOV);
            }
            if (M4A_BRANDS.contains(majorBrand)) {
                return Optional.of(MediaKind.M4A);
            }
            if (!MP4_BRANDS.contains(majorBrand)) {
                return Optional.empty(); // HEIC, AVIF, 3GP, ... are ISO-BMFF but not formats we accept
            }
            Set<String> handlers = new HashSet<>();
            collectTrackHandlers(channel, 0, channel.size(), 0, handlers, new int[] {0});
            boolean audioOnly = handlers.contains("soun") && !handlers.contains("vide");
            return Optional.of(audioOnly ? MediaKind.M4A : MediaKind.MP4);
        }
    }

    /** Walks moov/trak/mdia to collect each track's hdlr handler type ("vide", "soun", ...). */
    private static void collectTrackHandlers(FileChannel channel, long start, long end, int depth,
                                             Set<String> handlers, int[] boxesSeen) throws IOException {
        long position = start;
        while (position + 8 <= end) {
            if (++boxesSeen[0] > MAX_BOXES) {
                return;
            }
            ByteBuffer header = readAt(channel, position, 16);
            if (header.remaining() < 8) {
                return;
            }
            long size = Integer.toUnsignedLong(header.getInt(0));
            String type = fourCc(header, 4);
            int headerLength = 8;
            if (size == 1) {
                if (header.remaining() < 16) {
                    return;
                }
                size = header.getLong(8);
                headerLength = 16;
            } else if (size == 0) {
                size = end - position; // box extends to the end of its parent
            }
            // size > end - position, not position + size > end: a 64-bit largesize would overflow the sum
            if (size < headerLength || size > end - position) {
                return; // corrupt or truncated: keep what we found so far
            }
            long bodyStart = position + headerLength;
            long bodyEnd = position + size;
            if (depth < MAX_BOX_DEPTH && (type.equals("moov") || type.equals("trak") || type.equals("mdia"))) {
                collectTrackHandlers(channel, bodyStart, bodyEnd, depth + 1, handlers, boxesSeen);
            } else if (type.equals("hdlr") && depth > 0) {
                // hdlr: version+flags (4), pre_defined (4), handler_type (4)
                ByteBuffer body = readAt(channel, bodyStart, 12);
                if (body.remaining() >= 12) {
                    handlers.add(fourCc(body, 8));
                }
            }
            position = bodyEnd;
        }
    }

    // ---- Ogg ----

    private static Optional<MediaKind> oggKind(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer page = readAt(channel, 0, 27 + 255 + 8);
            if (page.remaining() < 28 || !"OggS".equals(fourCc(page, 0))) {
                return Optional.empty();
            }
            int segmentCount = Byte.toUnsignedInt(page.get(26));
            int packetStart = 27 + segmentCount;
            if (page.remaining() < packetStart + 8) {
                return Optional.empty();
            }
            byte[] packet = new byte[8];
            page.get(packetStart, packet);
            String ascii = new String(packet, StandardCharsets.ISO_8859_1);
            // The first packet of the first page identifies the codec of the first stream.
            if (ascii.startsWith("OpusHead") || (packet[0] == 1 && ascii.startsWith("vorbis", 1))) {
                return Optional.of(MediaKind.OGG);
            }
            return Optional.empty(); // Theora, Speex, FLAC-in-Ogg, ...: not accepted
        }
    }

    // ---- Matroska / WebM ----

    private static final int EBML_HEADER_ID = 0x1A45DFA3;
    private static final int EBML_DOCTYPE_ID = 0x4282;
    private static final int EBML_HEADER_READ_LIMIT = 4096;

    private static Optional<MediaKind> matroskaKind(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = readAt(channel, 0, EBML_HEADER_READ_LIMIT);
            EbmlCursor cursor = new EbmlCursor(buffer);
            if (cursor.readId() != EBML_HEADER_ID) {
                return Optional.empty();
            }
            long headerSize = cursor.readSize();
            long headerEnd = Math.min(buffer.limit(), cursor.position + Math.max(0, headerSize));
            while (cursor.position < headerEnd) {
                int id = cursor.readId();
                long size = cursor.readSize();
                if (id < 0 || size < 0 || cursor.position + size > headerEnd) {
                    return Optional.empty();
                }
                if (id == EBML_DOCTYPE_ID) {
                    byte[] docType = new byte[(int) size];
                    buffer.get(cursor.position, docType);
                    return switch (new String(docType, StandardCharsets.US_ASCII).replace("\0", "")) {
                        case "webm" -> Optional.of(MediaKind.WEBM);
                        case "matroska" -> Optional.of(MediaKind.MKV);
                        default -> Optional.empty();
                    };
                }
                cursor.position += (int) size;
            }
            return Optional.empty();
        }
    }

    /** Minimal EBML variable-length integer reader over an in-memory header; -1 means malformed. */
    private static final class EbmlCursor {
        private final ByteBuffer buffer;
        int position;

        EbmlCursor(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        /** Element IDs keep their length marker bits, so 0x1A45DFA3 reads as itself. */
        int readId() {
            int length = vintLength();
            if (length < 1 || length > 4 || position + length > buffer.limit()) {
                return -1;
            }
            int id = 0;
            for (int i = 0; i < length; i++) {
                id = (id << 8) | Byte.toUnsignedInt(buffer.get(position++));
            }
            return id;
        }

        long readSize() {
            int length = vintLength();
            if (length < 1 || length > 8 || position + length > buffer.limit()) {
                return -1;
            }
            long value = Byte.toUnsignedInt(buffer.get(position++)) & (0xFF >> length);
            for (int i = 1; i < length; i++) {
                value = (value << 8) | Byte.toUnsignedInt(buffer.get(position++));
            }
            return value;
        }

        private int vintLength() {
            if (position >= buffer.limit()) {
                return -1;
            }
            int first = Byte.toUnsignedInt(buffer.get(position));
            return first == 0 ? -1 : Integer.numberOfLeadingZeros(first) - 23;
        }
    }

    // ---- helpers ----

    /** Reads up to {@code length} bytes at {@code position}; fewer at end of file. Result is flipped. */
    private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position + buffer.position());
            if (read < 0) {
                break;
            }
        }
        return buffer.flip();
    }

    private static String fourCc(ByteBuffer buffer, int offset) {
        byte[] bytes = new byte[4];
        buffer.get(offset, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
