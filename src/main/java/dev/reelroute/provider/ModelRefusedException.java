package dev.reelroute.provider;

/**
 * A job that asks for a model reelroute cannot run as asked. The message is written for the API's 400 answer: it
 * says what to change (another model, an input to leave out, a setting for the operator) and never holds a token.
 */
public class ModelRefusedException extends RuntimeException {
    public enum Reason {
        /** No catalog entry of that name. */
        UNKNOWN_MODEL,
        /** The model's provider has no token configured on this installation. */
        PROVIDER_NOT_CONFIGURED,
        /** The job gives an input the model cannot take, or lacks one it needs. */
        UNSUPPORTED_INPUT
    }

    private final Reason reason;

    public ModelRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
