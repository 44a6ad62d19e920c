package dev.reelroute.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared command pieces: the fit rule and the camera motion (the renders are in each kind's commands test). */
class FfmpegCommandsTest {

    // ---- fit decision ----

    @Test
    void autoCoversWhenAspectRatiosAreClose() {
        RenderSize hd = RenderSize.DEFAULT;
        assertThat(FfmpegCommands.resolveFit(FitMode.AUTO, new ImageDimensions(1920, 1080), hd)).isEqualTo(FitMode.COVER);
        assertThat(FfmpegCommands.resolveFit(FitMode.AUTO, new ImageDimensions(1600, 1000), hd)).isEqualTo(FitMode.COVER);
        // 16:9 / 1.25 = 1.4222: just inside and just outside the factor.
        assertThat(FfmpegCommands.resolveFit(FitMode.AUTO, new ImageDimensions(1423, 1000), hd)).isEqualTo(FitMode.COVER);
        assertThat(FfmpegCommands.resolveFit(FitMode.AUTO, new ImageDimensions(1421, 1000), hd)).isEqualTo(FitMode.CONTAIN);
        // Wider than the frame by more than 1.25 (panorama).
        assertThat(FfmpegCommands.resolveFit(FitMode.AUTO, new ImageDimensions(3000, 1000), hd)).isEqualTo(FitMode.CONTAIN);
        assertThat(FfmpegCommands.resolveFit(FitMode.AUTO, new ImageDimensions(2200, 1000), hd)).isEqualTo(FitMode.COVER);
    }

    @Test
    void autoContainsPortraitInLandscapeAndExplicitModesAreKept() {
        ImageDimensions portrait = new ImageDimensions(1080, 1920);
        assertThat(FfmpegCommands.resolveFit(FitMode.AUTO, portrait, RenderSize.DEFAULT)).isEqualTo(FitMode.CONTAIN);
        assertThat(FfmpegCommands.resolveFit(FitMode.AUTO, portrait, new RenderSize(720, 1280))).isEqualTo(FitMode.COVER);
        assertThat(FfmpegCommands.resolveFit(FitMode.COVER, portrait, RenderSize.DEFAULT)).isEqualTo(FitMode.COVER);
        assertThat(FfmpegCommands.resolveFit(FitMode.CONTAIN, new ImageDimensions(1280, 720), RenderSize.DEFAULT))
                .isEqualTo(FitMode.CONTAIN);
    }

    // ---- command shape ----

    @Test
    void motionExpressionsForEveryKind() {
        // zoom, left edge of the window, top edge of the window (before the pixel-centre correction)
        assertThat(FfmpegCommands.perspective(new CameraMotion(CameraMotion.Kind.ZOOM_OUT, 0.1), 11))
                .startsWith("perspective=x0=((W-W/(1+0.100000-0.100000*(on-1)/10))/2+0.5/(1+0.100000-0.100000*(on-1)/10)-0.5)"
                        + ":y0=((H-H/(1+0.100000-0.100000*(on-1)/10))/2+");
        assertThat(FfmpegCommands.perspective(new CameraMotion(CameraMotion.Kind.PAN_LEFT, 0.2), 11))
                .startsWith("perspective=x0=((W-W/(1+0.200000))*(1-(on-1)/10)+0.5/(1+0.200000)-0.5)"
                        + ":y0=((H-H/(1+0.200000))/2+");
        assertThat(FfmpegCommands.perspective(new CameraMotion(CameraMotion.Kind.PAN_RIGHT, 0.2), 11))
                .startsWith("perspective=x0=((W-W/(1+0.200000))*(on-1)/10+0.5/(1+0.200000)-0.5)"
                        + ":y0=((H-H/(1+0.200000))/2+");
        assertThat(FfmpegCommands.perspective(new CameraMotion(CameraMotion.Kind.TILT_UP, 0.2), 11))
                .startsWith("perspective=x0=((W-W/(1+0.200000))/2+0.5/(1+0.200000)-0.5)"
                        + ":y0=((H-H/(1+0.200000))*(1-(on-1)/10)+");
        assertThat(FfmpegCommands.perspective(new CameraMotion(CameraMotion.Kind.TILT_DOWN, 0.2), 11))
                .startsWith("perspective=x0=((W-W/(1+0.200000))/2+0.5/(1+0.200000)-0.5)"
                        + ":y0=((H-H/(1+0.200000))*(on-1)/10+");
        assertThat(FfmpegCommands.perspective(new CameraMotion(CameraMotion.Kind.ZOOM_IN, 0.08), 11))
                .endsWith(":interpolation=linear:eval=frame");
    }

    @Test
    void gentleDefaultIsASlowZoomIn() {
        assertThat(CameraMotion.gentleDefault()).isEqualTo(new CameraMotion(CameraMotion.Kind.ZOOM_IN, 0.08));
    }
}
