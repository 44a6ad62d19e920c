package dev.reelroute.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourceRegion;
import org.springframework.http.HttpRange;
import org.springframework.util.StreamUtils;

/** What every Storage does, whatever holds the bytes: each implementation's test runs all of it. */
abstract class StorageContract {
    @TempDir
    Path dir;

    /** The storage under test; objects of one test never meet another's (keys carry a fresh prefix). */
    protected abstract Storage storage();

    /** The Camel context running the storage routes the storage sends to. */
    protected abstract CamelContext camel();

    private final String prefix = "contract/" + UUID.randomUUID() + "/";

    protected String key(String name) {
        return prefix + name;
    }

    protected Path file(String name, byte[] content) throws IOException {
        Path file = dir.resolve("upload-" + UUID.randomUUID() + "-" + name);
        Files.write(file, content);
        return file;
    }

    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] read(Resource resource) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void storedBytesComeBackWithTheirLengthAndCanBeReadAgain() throws Exception {
        byte[] content = randomBytes(100_000, 1);
        storage().put(key("clip.mp4"), file("clip.mp4", content), "video/mp4");

        Resource resource = storage().open(key("clip.mp4")).orElseThrow();
        assertThat(resource.exists()).isTrue();
        assertThat(resource.contentLength()).isEqualTo(content.length);
        assertThat(resource.getFilename()).isEqualTo("clip.mp4");
        // Spring reads it once for the length check and again for the body: it must not be a one-shot stream
        assertThat(resource.isOpen()).isFalse();
        assertThat(read(resource)).isEqualTo(content);
        assertThat(read(resource)).isEqualTo(content);
    }

    @Test
    void aRangeIsCutFromTheKnownLengthAsFileDownloadControllerServesIt() throws Exception {
        byte[] content = randomBytes(50_000, 2);
        storage().put(key("seek.mp4"), file("seek.mp4", content), "video/mp4");
        Resource resource = storage().open(key("seek.mp4")).orElseThrow();

        for (String header : List.of("bytes=1000-1099", "bytes=-100", "bytes=49990-")) {
            ResourceRegion region = HttpRange.parseRanges(header).get(0).toResourceRegion(resource);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            // what ResourceRegionHttpMessageConverter does for a single range
            try (InputStream in = region.getResource().getInputStream()) {
                StreamUtils.copyRange(in, out, region.getPosition(), region.getPosition() + region.getCount() - 1);
            }
            int from = (int) region.getPosition();
            assertThat(out.toByteArray()).as(header)
                    .isEqualTo(Arrays.copyOfRange(content, from, from + (int) region.getCount()));
        }
    }

    @Test
    void aLocalFileHoldsTheObjectsBytesForFfmpeg() throws Exception {
        byte[] content = randomBytes(70_000, 3);
        storage().put(key("inputs/image.png"), file("image.png", content), "image/png");
        Path workDir = Files.createDirectories(dir.resolve("work"));

        Path local = storage().localFile(key("inputs/image.png"), workDir);
        assertThat(local).isRegularFile().hasFileName("image.png");
        assertThat(Files.readAllBytes(local)).isEqualTo(content);
        // asked again (a redelivered job), it is still right
        assertThat(Files.readAllBytes(storage().localFile(key("inputs/image.png"), workDir))).isEqualTo(content);
    }

    @Test
    void aPutReplacesWhatTheKeyHeld() throws Exception {
        storage().put(key("output.mp4"), file("first.mp4", randomBytes(3_000, 4)), "video/mp4");
        byte[] second = randomBytes(2_000, 5);
        storage().put(key("output.mp4"), file("second.mp4", second), "video/mp4");

        Resource resource = storage().open(key("output.mp4")).orElseThrow();
        assertThat(resource.contentLength()).isEqualTo(second.length);
        assertThat(read(resource)).isEqualTo(second);
    }

    @Test
    void aMissingKeyIsEmptyToOpenAnErrorToFetchAndNoErrorToDelete() throws Exception {
        assertThat(storage().open(key("never-stored.mp4"))).isEmpty();
        assertThatThrownBy(() -> storage().localFile(key("never-stored.mp4"), dir))
                .isInstanceOf(IOException.class).hasMessageContaining(key("never-stored.mp4"));
        assertThatCode(() -> storage().delete(key("never-stored.mp4"))).doesNotThrowAnyException();
    }

    @Test
    void aDeletedObjectIsGone() throws Exception {
        storage().put(key("thumbnail.jpg"), file("thumbnail.jpg", randomBytes(1_000, 6)), "image/jpeg");
        storage().put(key("kept.jpg"), file("kept.jpg", randomBytes(1_000, 7)), "image/jpeg");

        storage().delete(key("thumbnail.jpg"));

        assertThat(storage().open(key("thumbnail.jpg"))).isEmpty();
        assertThatThrownBy(() -> storage().localFile(key("thumbnail.jpg"), dir)).isInstanceOf(IOException.class);
        assertThat(storage().open(key("kept.jpg"))).isPresent();
    }

    @Test
    void storesReadsAndDeletesAreStepsOfTheStorageRoutes() throws Exception {
        NotifyBuilder stored = new NotifyBuilder(camel()).fromRoute("store-object").whenCompleted(1).create();
        NotifyBuilder fetched = new NotifyBuilder(camel()).fromRoute("fetch-object").whenCompleted(1).create();
        NotifyBuilder deleted = new NotifyBuilder(camel()).fromRoute("delete-object").whenCompleted(1).create();

        storage().put(key("routed.mp4"), file("routed.mp4", randomBytes(2_000, 16)), "video/mp4");
        assertThat(stored.matchesWaitTime()).as("the store ran through store-object").isTrue();
        storage().localFile(key("routed.mp4"), dir);
        assertThat(fetched.matchesWaitTime()).as("the read ran through fetch-object").isTrue();
        storage().delete(key("routed.mp4"));
        assertThat(deleted.matchesWaitTime()).as("the delete ran through delete-object").isTrue();
    }

    @Test
    void aLargeFileIsStoredWhole() throws Exception {
        // past the S3 tests' 5 MB part size: a multipart upload of three parts
        byte[] content = randomBytes(12 * 1024 * 1024 + 123, 8);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(content);
        storage().put(key("large.mp4"), file("large.mp4", content), "video/mp4");

        Resource resource = storage().open(key("large.mp4")).orElseThrow();
        assertThat(resource.contentLength()).isEqualTo(12 * 1024 * 1024 + 123);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(resource.getInputStream(), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(digest.digest()).isEqualTo(expected);
    }

    @Test
    void keysThatCouldEscapeAreRefusedBeforeAnythingIsTouched() throws Exception {
        Path upload = file("x.bin", new byte[] {1, 2, 3});
        for (String bad : List.of("../escape.mp4", "/absolute.mp4", "a//b.mp4", "a/../../b.mp4", "", ".hidden",
                "space d.mp4", "x".repeat(301))) {
            assertThatThrownBy(() -> storage().put(bad, upload, "video/mp4")).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage().open(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage().localFile(bad, dir)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage().delete(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(upload).exists();
    }
}
