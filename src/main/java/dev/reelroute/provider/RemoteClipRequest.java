package dev.reelroute.provider;

import java.util.Map;
import java.util.Objects;

/** One clip to generate remotely: the provider's model id (or version) and the model's input, as JSON-able values. */
public record RemoteClipRequest(String model, Map<String, Object> input) {
    public RemoteClipRequest {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model is blank");
        }
        input = input == null ? Map.of() : input;
    }
}
