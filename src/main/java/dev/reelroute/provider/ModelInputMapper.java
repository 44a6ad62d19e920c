package dev.reelroute.provider;

import dev.reelroute.job.PromptSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a prompt job into the provider request its model's catalog entry describes. Assumes the job passed
 * {@link ModelCatalog#check}; settings the model does not take are left out, with a note for the job's log.
 */
final class ModelInputMapper {
    /** Reads a stored image as a {@code data:} URI. */
    @FunctionalInterface
    interface ImageEncoder {
        String dataUri(String storageKey) throws IOException;
    }

    /** The request, and what the job's log should say about how the job was adapted to the model. */
    record Mapped(RemoteClipRequest request, List<String> notes) {
    }

    private ModelInputMapper() {
    }

    static Mapped map(ModelEntry model, PromptSpec spec, ImageEncoder images) throws IOException {
        ModelEntry.Inputs fields = model.inputs();
        Map<String, Object> input = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        List<ModelInput> given = ModelCatalog.given(spec);
        for (ModelInput setting : List.of(ModelInput.DURATION, ModelInput.ASPECT_RATIO, ModelInput.RESOLUTION)) {
            if (given.contains(setting) && !fields.takes(setting)) {
                notes.add("Model " + model.name() + " does not take " + setting.description() + "; it decides that "
                        + "itself");
            }
        }
        if (wanted(given, fields, ModelInput.PROMPT)) {
            put(input, fields, ModelInput.PROMPT, spec.prompt());
        }
        if (wanted(given, fields, ModelInput.INITIAL_IMAGE)) {
            put(input, fields, ModelInput.INITIAL_IMAGE, images.dataUri(spec.initialImageKey()));
        }
        if (wanted(given, fields, ModelInput.END_FRAME)) {
            put(input, fields, ModelInput.END_FRAME, images.dataUri(spec.endFrameKey()));
        }
        if (wanted(given, fields, ModelInput.REFERENCE_IMAGES)) {
            List<String> references = new ArrayList<>();
            for (String key : spec.referenceImageKeys()) {
                references.add(images.dataUri(key));
            }
            put(input, fields, ModelInput.REFERENCE_IMAGES, references);
        }
        // sent either way where the model takes it: some models (Veo) make audio unless told not to
        put(input, fields, ModelInput.GENERATE_AUDIO, spec.generateAudio());
        if (wanted(given, fields, ModelInput.DURATION)) {
            String mapped = fields.durationValues().get(String.valueOf(spec.durationSeconds()));
            put(input, fields, ModelInput.DURATION, mapped != null ? mapped : (Object) spec.durationSeconds());
            int providerSeconds = model.providerSeconds(spec.durationSeconds());
            if (providerSeconds != spec.durationSeconds()) {
                notes.add("Model " + model.name() + " makes clips of " + providerSeconds + " s; asked for "
                        + spec.durationSeconds() + " s");
            }
        }
        if (wanted(given, fields, ModelInput.ASPECT_RATIO)) {
            put(input, fields, ModelInput.ASPECT_RATIO, spec.aspectRatio());
        }
        if (wanted(given, fields, ModelInput.RESOLUTION)) {
            put(input, fields, ModelInput.RESOLUTION, spec.resolution());
        }
        return new Mapped(new RemoteClipRequest(model.providerModel(), input), List.copyOf(notes));
    }

    /** The job gives it and the model takes it. */
    private static boolean wanted(List<ModelInput> given, ModelEntry.Inputs fields, ModelInput input) {
        return given.contains(input) && fields.takes(input);
    }

    private static void put(Map<String, Object> input, ModelEntry.Inputs fields, ModelInput what, Object value) {
        String field = fields.field(what);
        if (field != null) {
            input.put(field, value);
        }
    }
}
