package dev.reelroute.tokens;

/**
 * Published by {@link TokenLedger} with each ledger row it writes, inside the transaction that writes it: the top-ups
 * and the refund of a job cancelled before it ran, which are Java calls, not route steps (charge-job's charges and
 * refund-job's refunds are counted from the routes); {@code kind} is a {@link LedgerEntry} kind (refund, top_up) and
 * {@code amount} signed as in the row.
 */
public record TokensMoved(String accountId, String kind, long amount) {
}
