package dev.reelroute.job;

/**
 * What a worker's claim on a job or a project run did: nothing (the work has ended, or a live worker holds it), took
 * up queued work, or took over work whose last worker's lease had lapsed ({@code takeovers} counts every take-over).
 */
public record WorkClaim(boolean claimed, int takeovers) {
    public static final WorkClaim NOT_CLAIMED = new WorkClaim(false, 0);

    public boolean takenOver() {
        return claimed && takeovers > 0;
    }
}
