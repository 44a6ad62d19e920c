package dev.reelroute.tokens;

/** The account's balance does not cover the charge; carries both numbers for the 402 answer. */
public class InsufficientTokensException extends RuntimeException {
    private final long cost;
    private final long available;

    public InsufficientTokensException(long cost, long available) {
        super("Insufficient tokens: this job costs " + cost + " tokens and " + available + " are available");
        this.cost = cost;
        this.available = available;
    }

    public long cost() {
        return cost;
    }

    public long available() {
        return available;
    }
}
