package dev.reelroute.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.SmallUploadsServiceTest;
import dev.reelroute.support.StoredFiles;
import dev.reelroute.support.TestMedia;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile uploads, bodies and webhook URLs against every surface that takes them. No worker runs, so nothing a
 * case submits could be processed; every case checks that its refusal left no job row, no stored file and no
 * ffmpeg/ffprobe process behind, and that /health still answers.
 */
class HostileInputTest extends SmallUploadsServiceTest {
    @TempDir
    static Path media;
    static byte[] png;
    static byte[] jpeg;
    static byte[] webp;
    static byte[] mp3;
    static byte[] wav;
    static byte[] mp4;


    private String key;
    private int jobsBefore;
    private long filesBefore;

    @BeforeAll
    static void makeMedia() throws Exception {
        png = Files.readAllBytes(TestMedia.png(media, 320, 240));
        jpeg = encode("image.jpg", "-f", "lavfi", "-i", "testsrc2=size=320x240:duration=1", "-frames:v", "1");
        webp = encode("image.webp", "-f", "lavfi", "-i", "testsrc2=size=320x240:duration=1", "-frames:v", "1");
        mp3 = encode("audio.mp3", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "libmp3lame");
        wav = Files.readAllBytes(TestMedia.wav(media, 2.0));
        mp4 = encode("clip.mp4", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2", "-f", "lavfi",
                "-i", "sine=duration=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest");
    }

    private static byte[] encode(String name, String... args) throws Exception {
        Path file = media.resolve(name);
        List<String> command = new ArrayList<>(List.of(args));
        command.add(file.toString());
        TestMedia.ffmpeg(command.toArray(String[]::new));
        return Files.readAllBytes(file);
    }

    @BeforeEach
    void snapshot() throws Exception {
        key = newAccountKey("hostile");
        jobsBefore = jobRows();
        filesBefore = storedFiles();
    }

    /** Nothing a refused case sent may remain: no job, no stored file, no media process, and the service lives. */
    @AfterEach
    void nothingChanged() throws Exception {
        assertThat(jobRows()).as("job rows").isEqualTo(jobsBefore);
        assertThat(storedFiles()).as("stored files").isEqualTo(filesBefore);
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(p -> p.info().command().orElse("")).filter(c -> c.contains("ff")).toList())
                .as("ffmpeg/ffprobe children").isEmpty();
        assertThat(api.get("/health", null).status()).isEqualTo(200);
    }

    // --- bytes that disagree with their name or Content-Type --------------------------------------------------

    @Test
    void bytesDecideTheTypeNotTheNameOrContentType() throws Exception {
        assertError(jobs(Part.file("image", "cover.png", "image/png", png),
                Part.file("audio", "voice.mp3", "audio/mpeg", png)), 415, "Unsupported audio type");
        assertError(jobs(Part.file("image", "cover.png", "image/png", wav),
                Part.file("audio", "voice.wav", "audio/wav", wav)), 415, "Unsupported image type");
        assertError(jobs(Part.file("image", "cover.jpg", "image/jpeg", mp4),
                Part.file("audio", "voice.wav", "audio/wav", wav)), 415, "Unsupported image type");
        // a style-transfer source that is really a PNG
        assertEnvelopeError(video(png, "clip.mp4"), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    // --- truncated and corrupt files ---------------------------------------------------------------------------

    @Test
    void truncatedAndGarbledImagesAreRefused() throws Exception {
        // a garbled lossy WebP is left out: VP8 decodes noise as a (noisy) picture, so it is a valid image
        for (byte[] broken : List.of(truncated(png), garbled(png), truncated(jpeg), garbled(jpeg), truncated(webp))) {
            assertError(jobs(Part.file("image", "cover", "application/octet-stream", broken),
                    Part.file("audio", "voice.wav", "audio/wav", wav)), 400, "could not be read");
        }
    }

    @Test
    void truncatedAndGarbledAudioIsRefused() throws Exception {
        for (byte[] audio : List.of(mp3, wav)) {
            for (byte[] broken : List.of(truncated(audio), garbled(audio))) {
                assertError(jobs(Part.file("image", "cover.png", "image/png", png),
                        Part.file("audio", "voice", "application/octet-stream", broken)), 400, "could not be read");
            }
        }
    }

    @Test
    void truncatedAndGarbledVideosAreRefused() throws Exception {
        for (byte[] broken : List.of(truncated(mp4), garbled(mp4))) {
            ApiClient.Response response = video(broken, "clip.mp4");
            assertClientError(response, "error");
            assertThat(response.json().get("success").asBoolean()).isFalse();
        }
    }

    @Test
    void zeroByteFilesAreRefusedOnEverySurface() throws Exception {
        assertError(jobs(Part.file("image", "cover.png", "image/png", png),
                Part.file("audio", "voice.wav", "audio/wav", new byte[0])), 400, "empty");
        assertEnvelopeError(video(new byte[0], "clip.mp4"), 400, "VALIDATION_ERROR");
        List<Part> frame = videoJobFields("a quiet lake");
        frame.add(Part.file("initialImage", "frame.png", "image/png", new byte[0]));
        assertDetail(api.postMultipart("/api/v1/video-jobs", key, frame), 400, "empty");
    }

    // --- sizes that lie ----------------------------------------------------------------------------------------

    @Test
    void hugeDeclaredImageSizesAreRefusedFromTheHeaderAlone() throws Exception {
        for (byte[] huge : List.of(TestMedia.pngDeclaring(100_000, 100_000), jpegDeclaring(60_000, 60_000))) {
            assertError(jobs(Part.file("image", "cover", "image/png", huge),
                    Part.file("audio", "voice.wav", "audio/wav", wav)), 400, "0x");
        }
    }

    @Test
    void audioThatClaimsHoursIsRefused() throws Exception {
        // a WAV header whose data chunk claims 4 GB (about 6.7 hours at 44.1 kHz stereo 16-bit) over 2 s of samples
        byte[] lyingWav = wav.clone();
        ByteBuffer header = ByteBuffer.wrap(lyingWav).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(4, 0xFFFFFFF0);
        header.putInt(dataChunkOffset(lyingWav) + 4, 0xFFFFFF00);
        assertError(jobs(Part.file("image", "cover.png", "image/png", png),
                Part.file("audio", "voice.wav", "audio/wav", lyingWav)), 400, "claims");
    }

    // --- multipart abuse ---------------------------------------------------------------------------------------

    @Test
    void aThousandPartsAreRefusedBeforeParsing() throws Exception {
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            parts.add(Part.field("field" + i, "x"));
        }
        assertClientError(api.postMultipart("/api/jobs", key, parts), "error");
        assertClientError(api.postMultipart("/api/v1/video-jobs", key, parts), "detail");
    }

    @Test
    void aTenMegabyteTextFieldIsRefused() throws Exception {
        String tenMegabytes = "a".repeat(10 * 1024 * 1024);
        assertError(api.postMultipart("/api/jobs", key, List.of(Part.file("image", "cover.png", "image/png", png),
                Part.file("audio", "voice.wav", "audio/wav", wav), Part.field("webhookUrl", tenMegabytes))), 413,
                "exceeded");
        assertDetail(api.postMultipart("/api/v1/video-jobs", key, videoJobFields(tenMegabytes)), 413, "exceeded");
    }

    @Test
    void hostileFilenamesNeverReachStorageKeys() throws Exception {
        // a NUL in a part header is not HTTP: Tomcat's parser refuses the body
        assertError(jobs(Part.file("image", "a\u0000.png", "image/png", png),
                Part.file("audio", "voice.wav", "audio/wav", wav)), 400, "Malformed multipart body");
        for (String name : List.of("../../../../etc/passwd.png", "..\\..\\boot.ini", "%2e%2e%2fx.png",
                "$(reboot);`id`|&>x.png", "'; DROP TABLE jobs; --.png")) {
            ApiClient.Response created = jobs(Part.file("image", name, "image/png", png),
                    Part.file("audio", name.replace(".png", ".wav"), "audio/wav", wav));
            assertThat(created.status()).as(name + ": " + created.body()).isEqualTo(201);
            String jobId = created.json().get("jobId").asText();
            List<String> keys = storedKeys();
            assertThat(keys).isNotEmpty().allSatisfy(stored -> assertThat(stored)
                    .matches("[A-Za-z0-9/._-]+").doesNotContain("..", "passwd", "boot", "reboot", "DROP"));
            assertThat(api.post("/api/jobs/" + jobId + "/cancel", key).status()).isEqualTo(200);
            deleteJob(jobId);
        }
    }

    // --- JSON abuse --------------------------------------------------------------------------------------------

    @Test
    void deeplyNestedJsonIsAMalformedBodyEverywhere() throws Exception {
        String deep = "{\"prompt\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        String deepObject = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        for (String body : List.of(deep, deepObject)) {
            assertClientError(api.postJsonWithKey("/api/generate", key, body), "error");
            assertEnvelopeError(api.postJsonWithKey("/api/v1/jobs", key, body), 400, "VALIDATION_ERROR");
            assertClientError(api.postJson("/admin/accounts", ADMIN_TOKEN, body), "error");
        }
    }

    @Test
    void hugeNumbersAreRefusedNotOverflowed() throws Exception {
        String huge = "9".repeat(400);
        for (String number : List.of(huge, "1e400")) {
            ApiClient.Response generate = api.postJsonWithKey("/api/generate", key, "{\"prompt\":" + number + "}");
            assertError(generate, 400, "prompt");
            assertThat(generate.json().get("details").get(0).get("message").asText()).contains("Expected string");
            assertEnvelopeError(api.postJsonWithKey("/api/v1/jobs", key, "{\"video_id\":" + number + "}"), 400,
                    "VALIDATION_ERROR");
        }
        String accountId = api.postJson("/admin/accounts", ADMIN_TOKEN, "{\"name\":\"numbers\"}").json()
                .get("accountId").asText();
        for (String amount : List.of(huge, "1e400", "9223372036854775808", "-9223372036854775809", "1.5")) {
            assertError(api.postJson("/admin/accounts/" + accountId + "/tokens", ADMIN_TOKEN,
                    "{\"amount\":" + amount + "}"), 400, "amount");
        }
        assertThat(api.getWithBearer("/admin/accounts/" + accountId + "/ledger", ADMIN_TOKEN).json()
                .get("tokenBalance").asLong()).isZero();
        // 4294967297 used to wrap to 1 through asInt() and be taken as a valid limit
        for (String limit : List.of("4294967297", huge, "1e400", "1.5")) {
            assertError(api.postJson("/admin/accounts", ADMIN_TOKEN,
                    "{\"name\":\"wrapped\",\"maxActiveJobsPerKey\":" + limit + "}"), 400, "maxActiveJobsPerKey");
        }
    }

    // --- webhook URLs aimed inside -----------------------------------------------------------------------------

    @Test
    void webhookUrlsAimedInsideAreRefusedOnEverySurfaceThatTakesOne() throws Exception {
        for (String internal : List.of("https://127.0.0.1/hook", "https://169.254.169.254/latest/meta-data",
                "https://[::1]/hook", "https://10.0.0.7/hook", "https://localhost/hook", "https://127.1/hook",
                "https://0x7f000001/hook", "https://[::ffff:127.0.0.1]/hook")) {
            assertError(jobs(Part.file("image", "cover.png", "image/png", png),
                    Part.file("audio", "voice.wav", "audio/wav", wav), Part.field("webhookUrl", internal)), 400,
                    "webhookUrl");
            JsonNode generate = api.postJsonWithKey("/api/generate", key,
                    "{\"prompt\":\"a lake\",\"webhook_url\":\"" + internal + "\"}").json();
            assertThat(generate.get("error").asText()).as(internal).contains("webhook_url");
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private ApiClient.Response jobs(Part... parts) throws Exception {
        return api.postMultipart("/api/jobs", key, List.of(parts));
    }

    private ApiClient.Response video(byte[] bytes, String name) throws Exception {
        return api.postMultipart("/api/v1/videos", key, List.of(Part.file("file", name, "video/mp4", bytes)));
    }

    /** A 4xx with the surface's JSON error body under {@code field} and no trace of the server's insides. */
    private static void assertClientError(ApiClient.Response response, String field) {
        assertThat(response.status()).as(response.body()).isBetween(400, 499);
        assertThat(response.header("Content-Type")).as(response.body()).startsWith("application/json");
        assertThat(response.json().has(field)).as(response.body()).isTrue();
        assertThat(response.body()).doesNotContain("Exception", "at dev.", "at org.", "\tat ");
    }

    private static void assertError(ApiClient.Response response, int status, String messagePart) {
        assertClientError(response, "error");
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().get("error").asText()).contains(messagePart);
    }

    private static void assertDetail(ApiClient.Response response, int status, String messagePart) {
        assertClientError(response, "detail");
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().get("detail").asText()).contains(messagePart);
    }

    /** A mock video job that would be accepted as it is. */
    private static List<Part> videoJobFields(String prompt) {
        return new ArrayList<>(List.of(Part.field("prompt", prompt), Part.field("model", "veo-3.1-fast-generate-preview"),
                Part.field("resolution", "720p"), Part.field("aspectRatio", "16:9"), Part.field("durationSeconds", "4"),
                Part.field("mockMode", "true")));
    }

    private static void assertEnvelopeError(ApiClient.Response response, int status, String code) {
        assertClientError(response, "error");
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().get("success").asBoolean()).isFalse();
        assertThat(response.json().get("error").get("code").asText()).isEqualTo(code);
    }

    private void deleteJob(String jobId) throws Exception {
        jdbc.update("DELETE FROM jobs WHERE id = ?", jobId);
        Path dir = dataDir.resolve("storage");
        for (String stored : storedKeys()) {
            if (stored.contains(jobId)) {
                Files.delete(dir.resolve(stored));
            }
        }
    }

    private long storedFiles() throws Exception {
        return StoredFiles.count(dataDir);
    }

    private List<String> storedKeys() throws Exception {
        return StoredFiles.keys(dataDir);
    }

    private static byte[] truncated(byte[] bytes) {
        return Arrays.copyOf(bytes, Math.min(bytes.length / 3, 600));
    }

    /** The header kept (so the sniffer says what it is), everything after it overwritten with noise. */
    private static byte[] garbled(byte[] bytes) {
        byte[] copy = bytes.clone();
        java.util.Random random = new java.util.Random(7);
        for (int i = 64; i < copy.length; i++) {
            copy[i] = (byte) random.nextInt(256);
        }
        return copy;
    }

    private static int dataChunkOffset(byte[] wav) {
        for (int i = 12; i + 4 < wav.length; i++) {
            if (wav[i] == 'd' && wav[i + 1] == 'a' && wav[i + 2] == 't' && wav[i + 3] == 'a') {
                return i;
            }
        }
        throw new IllegalStateException("no data chunk");
    }

    /** SOI, a baseline SOF0 declaring the size (16-bit fields, so at most 65535), then EOI: no scan at all. */
    static byte[] jpegDeclaring(int width, int height) {
        return ByteBuffer.allocate(2 + 19 + 2)
                .put(new byte[] {(byte) 0xFF, (byte) 0xD8})
                .put(new byte[] {(byte) 0xFF, (byte) 0xC0, 0, 17, 8})
                .putShort((short) height).putShort((short) width)
                .put(new byte[] {3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1})
                .put(new byte[] {(byte) 0xFF, (byte) 0xD9})
                .array();
    }
}
