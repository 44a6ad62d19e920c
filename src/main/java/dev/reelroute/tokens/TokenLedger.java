package dev.reelroute.tokens;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * An account's token balance and its ledger. The balance only changes together with a ledger row, in one
 * transaction, and the moves are the routes of token-ledger.camel.yaml (charge-job, refund-job, top-up-account), whose
 * steps ops counts. Here: the balance, the ledger's entries, and the bootstrap account's opening balance, which is
 * written at start-up, before the routes run.
 */
@Component
public class TokenLedger {
    public static final long MAX_TOP_UP = 1_000_000_000L;
    /** What the ledger's reason column keeps. */
    public static final int MAX_REASON_LENGTH = 300;

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    public TokenLedger(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public long balance(String accountId) {
        List<Long> balance = jdbc.queryForList("SELECT token_balance FROM accounts WHERE id = :id",
                new MapSqlParameterSource("id", accountId), Long.class);
        if (balance.isEmpty()) {
            throw new IllegalArgumentException("No such account");
        }
        return balance.get(0);
    }

    /**
     * A new account's first tokens, written at start-up (BootstrapAccount), before the routes run, so not through
     * top-up-account: the credit and its {@code top_up} ledger row. Not counted in the reelroute.tokens metric.
     */
    @Transactional
    public void openingBalance(String accountId, long tokens, String reason) {
        TopUp opening = new TopUp(accountId, tokens, reason);
        jdbc.update("UPDATE accounts SET token_balance = token_balance + :amount WHERE id = :id",
                new MapSqlParameterSource("id", accountId).addValue("amount", opening.amount()));
        jdbc.update("""
                INSERT INTO token_ledger (account_id, job_id, kind, amount, balance_after, reason, created_at)
                VALUES (:accountId, NULL, :kind, :amount, :after, :reason, :now)""",
                new MapSqlParameterSource("accountId", accountId)
                        .addValue("kind", LedgerEntry.TOP_UP)
                        .addValue("amount", opening.amount())
                        .addValue("after", balance(accountId))
                        .addValue("reason", opening.reason())
                        .addValue("now", Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS))));
    }

    /** Newest first. */
    public List<LedgerEntry> entries(String accountId, int limit) {
        return jdbc.query("SELECT * FROM token_ledger WHERE account_id = :id ORDER BY id DESC LIMIT :limit",
                new MapSqlParameterSource("id", accountId).addValue("limit", limit),
                (rs, i) -> new LedgerEntry(rs.getLong("id"), rs.getString("account_id"), rs.getString("job_id"),
                        rs.getString("kind"), rs.getLong("amount"), rs.getLong("balance_after"),
                        rs.getString("reason"), rs.getTimestamp("created_at").toInstant()));
    }
}
