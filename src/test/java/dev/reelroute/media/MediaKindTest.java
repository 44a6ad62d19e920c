package dev.reelroute.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MediaKindTest {

    @Test
    void everyKindIsExactlyOneOfImageAudioVideo() {
        for (MediaKind kind : MediaKind.values()) {
            int families = (kind.isImage() ? 1 : 0) + (kind.isAudio() ? 1 : 0) + (kind.isVideo() ? 1 : 0);
            assertThat(families).as(kind.name()).isEqualTo(1);
        }
    }

    @Test
    void exposesMimeTypeAndExtension() {
        assertThat(MediaKind.M4A.mimeType()).isEqualTo("audio/mp4");
        assertThat(MediaKind.M4A.extension()).isEqualTo("m4a");
        assertThat(MediaKind.MKV.mimeType()).isEqualTo("video/x-matroska");
        assertThat(MediaKind.JPEG.extension()).isEqualTo("jpg");
        assertThat(MediaKind.WEBP.isImage()).isTrue();
        assertThat(MediaKind.OGG.isAudio()).isTrue();
        assertThat(MediaKind.MOV.isVideo()).isTrue();
    }
}
