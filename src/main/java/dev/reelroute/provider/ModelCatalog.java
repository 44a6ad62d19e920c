package dev.reelroute.provider;

import dev.reelroute.job.PromptSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The models jobs can ask for (reelroute.models), and whether a job can run as it asks. {@link #check} is what
 * the API calls before it creates a job, so a job the model cannot run is refused with a 400 there rather than
 * failing later; the worker checks again, in case the configuration changed in between.
 */
@Component("modelCatalog")
public class ModelCatalog {
    private final Map<String, ModelEntry> models = new LinkedHashMap<>();
    private final ProviderProperties providers;

    public ModelCatalog(ModelCatalogProperties catalog, ProviderProperties providers) {
        this.providers = providers;
        for (ModelEntry model : catalog.models()) {
            if (models.putIfAbsent(model.name(), model) != null) {
                throw new IllegalStateException("reelroute.models: model '" + model.name() + "' is listed twice");
            }
            for (String seconds : model.inputs().durationValues().keySet()) {
                if (!seconds.matches("\\d{1,4}")) {
                    throw new IllegalStateException("reelroute.models: duration-values of model '" + model.name()
                            + "' must be keyed by whole seconds, not '" + seconds + "'");
                }
            }
        }
    }

    public Optional<ModelEntry> find(String name) {
        return Optional.ofNullable(name == null ? null : models.get(name.strip()));
    }

    public List<String> names() {
        return List.copyOf(models.keySet());
    }

    /** The model, if it exists and its provider is configured here; else the reason, as the API should say it. */
    public ModelEntry require(String name) {
        ModelEntry model = known(name);
        ProviderName provider = model.provider();
        if (!providers.endpoint(provider).configured()) {
            throw new ModelRefusedException(ModelRefusedException.Reason.PROVIDER_NOT_CONFIGURED,
                    "Model '" + model.name() + "' runs on " + provider.id() + ", which is not configured: set "
                            + provider.tokenVariable() + " (" + provider.tokenSetting() + ")");
        }
        return model;
    }

    /**
     * Whether the job can run as it asks: a known model, whose provider is configured (unless the job is in mock
     * mode, where the local engine makes the video), that takes every input the job gives and gets every input it
     * needs. Settings a model does not take (duration, aspect ratio, resolution) are left to the model.
     */
    public ModelEntry check(PromptSpec spec) {
        ModelEntry model = spec.mockMode() ? known(spec.model()) : require(spec.model());
        ModelEntry.Inputs inputs = model.inputs();
        for (ModelInput input : given(spec)) {
            if (input.isContent() && !inputs.takes(input)) {
                throw refused("Model '" + model.name() + "' does not take " + input.description() + "; leave it out"
                        + or(modelsTaking(input)));
            }
        }
        for (ModelInput input : inputs.required()) {
            if (!given(spec).contains(input)) {
                throw refused("Model '" + model.name() + "' needs " + input.description());
            }
        }
        Map<String, String> durations = inputs.durationValues();
        if (inputs.takes(ModelInput.DURATION) && !durations.isEmpty()
                && !durations.containsKey(String.valueOf(spec.durationSeconds()))) {
            throw refused("Model '" + model.name() + "' cannot make a clip of " + spec.durationSeconds()
                    + " s; it takes " + String.join(" or ", durations.keySet().stream().sorted().toList()) + " s");
        }
        return model;
    }

    /** What the job gives: its content inputs, and the settings it has a value for. */
    static List<ModelInput> given(PromptSpec spec) {
        List<ModelInput> given = new ArrayList<>();
        if (spec.prompt() != null && !spec.prompt().isBlank()) {
            given.add(ModelInput.PROMPT);
        }
        if (spec.initialImageKey() != null) {
            given.add(ModelInput.INITIAL_IMAGE);
        }
        if (spec.endFrameKey() != null) {
            given.add(ModelInput.END_FRAME);
        }
        if (!spec.referenceImageKeys().isEmpty()) {
            given.add(ModelInput.REFERENCE_IMAGES);
        }
        if (spec.generateAudio()) {
            given.add(ModelInput.GENERATE_AUDIO);
        }
        if (spec.durationSeconds() > 0) {
            given.add(ModelInput.DURATION);
        }
        if (spec.aspectRatio() != null && !spec.aspectRatio().isBlank()) {
            given.add(ModelInput.ASPECT_RATIO);
        }
        if (spec.resolution() != null && !spec.resolution().isBlank()) {
            given.add(ModelInput.RESOLUTION);
        }
        return given;
    }

    /** The model if the catalog lists it, whether or not its provider is configured; else the refusal. */
    public ModelEntry known(String name) {
        return find(name).orElseThrow(() -> new ModelRefusedException(ModelRefusedException.Reason.UNKNOWN_MODEL,
                (name == null || name.isBlank() ? "No model given" : "Unknown model '" + name.strip() + "'")
                        + "; known models: " + (models.isEmpty() ? "none" : String.join(", ", models.keySet()))));
    }

    private List<String> modelsTaking(ModelInput input) {
        return models.values().stream().filter(m -> m.inputs().takes(input)).map(ModelEntry::name).toList();
    }

    private static String or(List<String> alternatives) {
        return alternatives.isEmpty() ? "" : ", or use a model that takes it: " + String.join(", ", alternatives);
    }

    private static ModelRefusedException refused(String message) {
        return new ModelRefusedException(ModelRefusedException.Reason.UNSUPPORTED_INPUT, message);
    }
}
