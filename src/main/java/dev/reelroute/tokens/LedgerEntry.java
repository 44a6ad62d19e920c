package dev.reelroute.tokens;

import java.time.Instant;

/** One movement of an account's tokens: a charge (negative), a refund or a top-up (positive). */
public record LedgerEntry(long id, String accountId, String jobId, String kind, long amount, long balanceAfter,
                          String reason, Instant createdAt) {
    public static final String CHARGE = "charge";
    public static final String REFUND = "refund";
    public static final String TOP_UP = "top_up";
}
