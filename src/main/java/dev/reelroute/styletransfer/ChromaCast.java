package dev.reelroute.styletransfer;

/**
 * The mean chroma of a picture, {@code Pb} and {@code Pr} (-0.5..0.5, BT.709), and the same cast as temperature
 * (mean {@code R - B}) and tint (mean {@code G - (R + B) / 2}). Both pairs are linear in each other, so the grade can
 * turn a template's temperature and tint back into the chroma offset that produces them.
 *
 * <p>BT.709: {@code R = Y + 1.5748 Pr}, {@code G = Y - 0.1873 Pb - 0.4681 Pr}, {@code B = Y + 1.8556 Pb}, so
 * {@code R - B = 1.5748 Pr - 1.8556 Pb} and {@code G - (R + B) / 2 = -1.1151 Pb - 1.2555 Pr}.
 */
record ChromaCast(double pb, double pr) {

    /** Limited range: chroma code values span 224 steps around 128. */
    static final double CODE_VALUES_PER_UNIT = 224;

    private static final double R_PR = 1.5748;
    private static final double B_PB = 1.8556;
    private static final double G_PB = 0.1873;
    private static final double G_PR = 0.4681;
    private static final double TINT_PB = -(G_PB + B_PB / 2);
    private static final double TINT_PR = -(G_PR + R_PR / 2);
    private static final double TEMPERATURE_PB = -B_PB;
    private static final double TEMPERATURE_PR = R_PR;

    /** From mean chroma code values (limited range, 128 = neutral). */
    static ChromaCast ofCodeValues(double meanCb, double meanCr) {
        return new ChromaCast((meanCb - 128) / CODE_VALUES_PER_UNIT, (meanCr - 128) / CODE_VALUES_PER_UNIT);
    }

    /** The cast with this temperature and tint. */
    static ChromaCast of(double temperature, double tint) {
        double determinant = TEMPERATURE_PB * TINT_PR - TEMPERATURE_PR * TINT_PB;
        return new ChromaCast((temperature * TINT_PR - TEMPERATURE_PR * tint) / determinant,
                (TEMPERATURE_PB * tint - TINT_PB * temperature) / determinant);
    }

    double temperature() {
        return TEMPERATURE_PB * pb + TEMPERATURE_PR * pr;
    }

    double tint() {
        return TINT_PB * pb + TINT_PR * pr;
    }

    double cbCodeOffset() {
        return pb * CODE_VALUES_PER_UNIT;
    }

    double crCodeOffset() {
        return pr * CODE_VALUES_PER_UNIT;
    }
}
