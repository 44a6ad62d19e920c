package dev.reelroute.tokens;

/**
 * Published by {@link TokenLedger} with each ledger row it writes, inside the transaction that writes it: the charges,
 * the top-ups and the refund of a job cancelled before it ran, which are Java calls, not route steps (the refund-job
 * route's refunds are counted from the route); {@code kind} is a {@link LedgerEntry} kind (charge, refund, top_up) and
 * {@code amount} signed as in the row.
 */
public record TokensMoved(String accountId, String kind, long amount) {
}
