package dev.reelroute.provider;

/** What a prompt job can give a model; a catalog entry maps each one it takes to a provider input field. */
public enum ModelInput {
    PROMPT("a prompt", true),
    INITIAL_IMAGE("an initial image", true),
    END_FRAME("an end frame", true),
    REFERENCE_IMAGES("reference images", true),
    GENERATE_AUDIO("generated audio", true),
    DURATION("a duration", false),
    ASPECT_RATIO("an aspect ratio", false),
    RESOLUTION("a resolution", false);

    private final String description;
    private final boolean content;

    ModelInput(String description, boolean content) {
        this.description = description;
        this.content = content;
    }

    /** For messages: "Model 'x' does not take " + description. */
    public String description() {
        return description;
    }

    /**
     * Content is what the user chose to give (a model that cannot take it refuses the job); the others are settings
     * every job has, which a model that cannot take them decides for itself.
     */
    public boolean isContent() {
        return content;
    }
}
