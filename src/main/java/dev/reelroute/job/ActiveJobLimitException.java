package dev.reelroute.job;

/** The API key already has as many PENDING or PROCESSING jobs as its account allows. */
public class ActiveJobLimitException extends RuntimeException {
    public ActiveJobLimitException(int limit) {
        super("You already have an active job (limit " + limit + " per API key); wait for it to finish or cancel it first");
    }
}
