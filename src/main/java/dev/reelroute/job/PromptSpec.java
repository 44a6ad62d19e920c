package dev.reelroute.job;

import java.util.List;

/**
 * What a prompt job asks for; null on an image + audio job.
 *
 * @param initialImageKey    storage key of the starting frame (the jobs table's input_image_key), or null
 * @param endFrameKey        storage key of the ending frame, or null
 * @param referenceImageKeys storage keys of up to 3 reference images, in upload order
 * @param mockMode           true: the local engine makes the video; false: the model's provider
 */
public record PromptSpec(String prompt, String script, String model, String resolution, String aspectRatio,
                         int durationSeconds, boolean mockMode, boolean generateAudio, String initialImageKey,
                         String endFrameKey, List<String> referenceImageKeys) {
    public PromptSpec {
        referenceImageKeys = referenceImageKeys == null ? List.of() : List.copyOf(referenceImageKeys);
    }

    /** Every stored input of the job. */
    public List<String> inputKeys() {
        var keys = new java.util.ArrayList<String>();
        if (initialImageKey != null) {
            keys.add(initialImageKey);
        }
        if (endFrameKey != null) {
            keys.add(endFrameKey);
        }
        keys.addAll(referenceImageKeys);
        return keys;
    }
}
