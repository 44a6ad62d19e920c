package dev.reelroute.provider;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One model of the catalog ({@code reelroute.models[n]}): which provider runs it, under which id, with which input
 * fields, at which price.
 *
 * @param name          what jobs ask for (e.g. {@code veo-3.1-fast-generate-preview})
 * @param providerModel the provider's id: replicate {@code owner/name} or {@code owner/name:version}; fal the
 *                      endpoint id, e.g. {@code fal-ai/kling-video/v2.1/standard/image-to-video}
 * @param tokens        what a job with this model costs the account
 * @param usdPerSecond  what the provider charges per second of video, for cost tracking
 */
public record ModelEntry(String name, ProviderName provider, String providerModel, Integer tokens,
                         BigDecimal usdPerSecond, Inputs inputs) {
    public static final int DEFAULT_TOKENS = 50;

    public ModelEntry {
        requireText(name, "name");
        Objects.requireNonNull(provider, "provider of model " + name);
        requireText(providerModel, "provider-model of model " + name);
        tokens = tokens == null ? DEFAULT_TOKENS : tokens;
        if (tokens < 0) {
            throw new IllegalArgumentException("tokens of model " + name + " is negative");
        }
        usdPerSecond = usdPerSecond == null ? BigDecimal.ZERO : usdPerSecond;
        inputs = inputs == null ? new Inputs(null, null, null, null, null, null, null, null, null, null) : inputs;
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("reelroute.models: " + what + " is missing");
        }
    }

    /** The seconds of video the provider is asked for (and bills): the mapped duration when it is a number. */
    public int providerSeconds(int jobSeconds) {
        String mapped = inputs.durationValues().get(String.valueOf(jobSeconds));
        if (mapped != null && mapped.strip().matches("\\d{1,4}")) {
            return Integer.parseInt(mapped.strip());
        }
        return jobSeconds;
    }

    /** What the provider charges for a clip of {@code jobSeconds}, at the cost_usd column's scale. */
    public BigDecimal costUsd(int jobSeconds) {
        return usdPerSecond.multiply(BigDecimal.valueOf(providerSeconds(jobSeconds))).setScale(4, RoundingMode.HALF_UP);
    }

    /**
     * The provider's input field for each thing a job can give; null means the model does not take it.
     *
     * @param durationValues job seconds → the value sent (as a string, e.g. fal's Kling wants "5" or "10"); empty
     *                       means the seconds are sent as a number
     * @param required       inputs a job must give for this model (e.g. an image-to-video model's initial image)
     */
    public record Inputs(String prompt, String initialImage, String endFrame, String referenceImages,
                         String generateAudio, String duration, Map<String, String> durationValues,
                         String aspectRatio, String resolution, List<ModelInput> required) {
        public Inputs {
            durationValues = durationValues == null ? Map.of() : Map.copyOf(durationValues);
            required = required == null ? List.of() : List.copyOf(required);
        }

        /** The provider field for {@code input}, or null when the model does not take it. */
        public String field(ModelInput input) {
            String field = switch (input) {
                case PROMPT -> prompt;
                case INITIAL_IMAGE -> initialImage;
                case END_FRAME -> endFrame;
                case REFERENCE_IMAGES -> referenceImages;
                case GENERATE_AUDIO -> generateAudio;
                case DURATION -> duration;
                case ASPECT_RATIO -> aspectRatio;
                case RESOLUTION -> resolution;
            };
            return field == null || field.isBlank() ? null : field.strip();
        }

        public boolean takes(ModelInput input) {
            return field(input) != null;
        }
    }
}
