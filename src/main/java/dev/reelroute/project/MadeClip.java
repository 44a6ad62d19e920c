package dev.reelroute.project;

import java.math.BigDecimal;

/**
 * A clip's segment, stored: what the route complete-clip records on the clip (its key and what it and its outgoing
 * transition cost), and its line in the run's log.
 */
public record MadeClip(String segmentKey, BigDecimal clipCost, BigDecimal transitionCost, int clipCount,
                       String logLine) {
    /** The run's progress with {@code made} of its {@code clipCount} clips made: from 5 to 80 over the clips. */
    public static int runProgress(long made, int clipCount) {
        return (int) (5 + 75 * made / clipCount);
    }
}
