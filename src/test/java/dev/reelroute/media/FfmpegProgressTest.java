package dev.reelroute.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FfmpegProgressTest {

    /** Two blocks as ffmpeg 5.1 writes them with -progress, the first before any frame was muxed. */
    private static final String RUNNING = """
            frame=0
            fps=0.00
            stream_0_0_q=0.0
            bitrate=N/A
            total_size=48
            out_time_us=N/A
            out_time_ms=N/A
            out_time=N/A
            dup_frames=0
            drop_frames=0
            speed=N/A
            progress=continue
            frame=46
            fps=45.77
            stream_0_0_q=26.0
            bitrate=  14.1kbits/s
            total_size=2652
            out_time_us=1504000
            out_time_ms=1504000
            out_time=00:00:01.504000
            dup_frames=0
            drop_frames=0
            speed=1.5x
            progress=continue
            """;

    private static final String FINISHED = RUNNING + """
            frame=90
            fps=46.10
            stream_0_0_q=-1.0
            bitrate= 282.6kbits/s
            total_size=106342
            out_time_us=3010000
            out_time_ms=3010000
            out_time=00:00:03.010000
            dup_frames=0
            drop_frames=0
            speed=1.54x
            progress=end
            """;

    @Test
    void readsNewestOutTime() {
        assertThat(FfmpegProgress.lastOutTimeMicros(RUNNING)).hasValue(1_504_000);
        assertThat(FfmpegProgress.lastOutTimeMicros(FINISHED)).hasValue(3_010_000);
    }

    @Test
    void fallsBackToOutTimeMsWhichIsMicroseconds() {
        String oldStyle = "frame=10\nout_time_ms=400000\nout_time=00:00:00.400000\nprogress=continue\n";
        assertThat(FfmpegProgress.lastOutTimeMicros(oldStyle)).hasValue(400_000);
    }

    @Test
    void ignoresNotAvailableAndNegativeValues() {
        assertThat(FfmpegProgress.lastOutTimeMicros("out_time_us=N/A\nout_time_ms=N/A\nprogress=continue\n"))
                .isEmpty();
        assertThat(FfmpegProgress.lastOutTimeMicros("out_time_us=-9223372036854775807\nprogress=continue\n"))
                .isEmpty();
        assertThat(FfmpegProgress.lastOutTimeMicros("")).isEmpty();
        assertThat(FfmpegProgress.lastOutTimeMicros(null)).isEmpty();
    }

    @Test
    void skipsHalfWrittenLastLineAndAcceptsCrLf() {
        // The file is read while ffmpeg appends to it; "out_time_us=20" may be the start of "2000000".
        assertThat(FfmpegProgress.lastOutTimeMicros("out_time_us=1000\r\nprogress=continue\r\nout_time_us=20"))
                .hasValue(1000);
    }

    @Test
    void detectsEnd() {
        assertThat(FfmpegProgress.ended(RUNNING)).isFalse();
        assertThat(FfmpegProgress.ended(FINISHED)).isTrue();
        assertThat(FfmpegProgress.ended(null)).isFalse();
    }

    @Test
    void percentIsClamped() {
        assertThat(FfmpegProgress.percent(1_504_000, 3.0)).isEqualTo(50);
        assertThat(FfmpegProgress.percent(3_010_000, 3.0)).isEqualTo(100);
        assertThat(FfmpegProgress.percent(0, 3.0)).isZero();
        assertThat(FfmpegProgress.percent(-5, 3.0)).isZero();
        assertThat(FfmpegProgress.percent(1_000_000, 0)).isZero();
        assertThat(FfmpegProgress.percent(1_000_000, Double.NaN)).isZero();
    }
}
