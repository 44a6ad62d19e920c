package dev.reelroute.tokens;

/**
 * Published with each ledger row, inside the transaction that writes it; {@code kind} is a {@link LedgerEntry} kind
 * (charge, refund, top_up) and {@code amount} signed as in the row.
 */
public record TokensMoved(String accountId, String kind, long amount) {
}
