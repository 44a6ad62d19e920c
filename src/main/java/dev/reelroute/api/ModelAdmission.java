package dev.reelroute.api;

import dev.reelroute.job.PromptSpec;

/** Decides which engine makes a prompt job's video and what it costs, or refuses the model with a 400. */
public interface ModelAdmission {
    /** The engine ("local" for the mock engine, else the provider's name) and the job's price in tokens. */
    record Admitted(String provider, long tokens) {}

    Admitted admit(PromptSpec spec);
}
