package dev.reelroute.media;

/**
 * Ken Burns style camera motion over a still image.
 *
 * @param kind   direction of the motion
 * @param amount fraction of the frame zoomed (ZOOM_*) or travelled (PAN_*, TILT_*, DRIFT) over the whole clip,
 *               0..{@value #MAX_AMOUNT}; ignored for STATIC
 */
public record CameraMotion(Kind kind, double amount) {

    /** Above this the image gets visibly soft (2x digital zoom), so we refuse it. */
    public static final double MAX_AMOUNT = 0.5;

    /**
     * DRIFT is a slow diagonal drift combined with a slight zoom in, like an orbit seen from a still:
     * see {@link FfmpegCommands#perspective(CameraMotion, int)}.
     */
    public enum Kind { STATIC, ZOOM_IN, ZOOM_OUT, PAN_LEFT, PAN_RIGHT, TILT_UP, TILT_DOWN, DRIFT }

    public CameraMotion {
        if (kind == null) {
            throw new IllegalArgumentException("camera motion kind is required");
        }
        if (!(amount >= 0 && amount <= MAX_AMOUNT)) { // also rejects NaN
            throw new IllegalArgumentException("camera motion amount must be within 0.." + MAX_AMOUNT + ": " + amount);
        }
    }

    /** A slow zoom in of 8% over the whole clip: noticeable, never distracting. */
    public static CameraMotion gentleDefault() {
        return new CameraMotion(Kind.ZOOM_IN, 0.08);
    }

    public static CameraMotion none() {
        return new CameraMotion(Kind.STATIC, 0);
    }

    public boolean isStatic() {
        return kind == Kind.STATIC || amount == 0;
    }
}
