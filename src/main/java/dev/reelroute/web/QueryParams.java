package dev.reelroute.web;

/** Query parameters of the list endpoints: a bad value is a 400 that names the parameter and its range. */
public final class QueryParams {
    private QueryParams() {}

    /** {@code value} as an integer within [min, max]; {@code fallback} when it is absent. */
    public static int boundedInt(String value, String name, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // falls through to the error below
        }
        throw ApiException.badRequest(name + " must be an integer from " + min + " to " + max);
    }
}
