package dev.reelroute.job;

/** The API key (or, for prompt jobs, the account) already has as many PENDING or PROCESSING jobs as allowed. */
public class ActiveJobLimitException extends RuntimeException {
    private final int limit;

    public ActiveJobLimitException(int limit) {
        super("You already have an active job (limit " + limit + " per API key); wait for it to finish or cancel it first");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
