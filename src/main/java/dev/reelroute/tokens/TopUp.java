package dev.reelroute.tokens;

import dev.reelroute.config.Texts;

/**
 * Tokens to add to an account, as the route top-up-account takes them (its variable {@code topUp}): an amount from 1
 * to {@link TokenLedger#MAX_TOP_UP}, the reason bounded to the ledger's column (null: none).
 */
public record TopUp(String accountId, long amount, String reason) {
    public TopUp {
        if (amount <= 0 || amount > TokenLedger.MAX_TOP_UP) {
            throw new IllegalArgumentException("amount must be from 1 to " + TokenLedger.MAX_TOP_UP);
        }
        reason = Texts.bounded(reason, TokenLedger.MAX_REASON_LENGTH);
    }
}
