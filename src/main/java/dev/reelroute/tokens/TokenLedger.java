package dev.reelroute.tokens;

import dev.reelroute.config.Texts;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * An account's token balance and its ledger. The balance only changes together with a ledger row, in one
 * transaction. A job's charge is the route charge-job (camel-sql steps, in the transaction that inserts the job, so
 * a job row and its charge commit or roll back together; the balance never goes below zero: the debit is a
 * conditional UPDATE). Here: the balance, top-ups, the refund of a job cancelled before it ran, and the ledger's
 * entries.
 */
@Component
public class TokenLedger {
    public static final long MAX_TOP_UP = 1_000_000_000L;
    /** What the ledger's reason column keeps. */
    public static final int MAX_REASON_LENGTH = 300;

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public TokenLedger(NamedParameterJdbcTemplate jdbc, Clock clock, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
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
     * Gives back what the job was charged, once: a second refund of the same job is a no-op. Returns whether
     * tokens moved.
     */
    @Transactional
    public boolean refund(String accountId, String jobId, String reason) {
        List<Long> charged = jdbc.queryForList(
                "SELECT amount FROM token_ledger WHERE job_id = :jobId AND kind = 'charge' AND account_id = :accountId",
                new MapSqlParameterSource("jobId", jobId).addValue("accountId", accountId), Long.class);
        if (charged.isEmpty()) {
            return false;
        }
        long amount = -charged.get(0);
        try {
            // the unique (job_id, kind) row is taken first, so two concurrent refunds cannot both credit
            record(accountId, jobId, LedgerEntry.REFUND, amount, 0, reason);
        } catch (DuplicateKeyException alreadyRefunded) {
            return false;
        }
        jdbc.update("UPDATE accounts SET token_balance = token_balance + :amount WHERE id = :id",
                new MapSqlParameterSource("id", accountId).addValue("amount", amount));
        jdbc.update("UPDATE token_ledger SET balance_after = :after WHERE job_id = :jobId AND kind = 'refund'",
                new MapSqlParameterSource("after", balance(accountId)).addValue("jobId", jobId));
        return true;
    }

    @Transactional
    public long topUp(String accountId, long amount, String reason) {
        if (amount <= 0 || amount > MAX_TOP_UP) {
            throw new IllegalArgumentException("amount must be from 1 to " + MAX_TOP_UP);
        }
        jdbc.update("UPDATE accounts SET token_balance = token_balance + :amount WHERE id = :id",
                new MapSqlParameterSource("id", accountId).addValue("amount", amount));
        long after = balance(accountId);
        record(accountId, null, LedgerEntry.TOP_UP, amount, after, reason);
        return after;
    }

    /** Newest first. */
    public List<LedgerEntry> entries(String accountId, int limit) {
        return jdbc.query("SELECT * FROM token_ledger WHERE account_id = :id ORDER BY id DESC LIMIT :limit",
                new MapSqlParameterSource("id", accountId).addValue("limit", limit),
                (rs, i) -> new LedgerEntry(rs.getLong("id"), rs.getString("account_id"), rs.getString("job_id"),
                        rs.getString("kind"), rs.getLong("amount"), rs.getLong("balance_after"),
                        rs.getString("reason"), rs.getTimestamp("created_at").toInstant()));
    }

    private void record(String accountId, String jobId, String kind, long amount, long after, String reason) {
        jdbc.update("""
                INSERT INTO token_ledger (account_id, job_id, kind, amount, balance_after, reason, created_at)
                VALUES (:accountId, :jobId, :kind, :amount, :after, :reason, :now)""",
                new MapSqlParameterSource("accountId", accountId)
                        .addValue("jobId", jobId)
                        .addValue("kind", kind)
                        .addValue("amount", amount)
                        .addValue("after", after)
                        .addValue("reason", Texts.bounded(reason, MAX_REASON_LENGTH))
                        .addValue("now", Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS))));
        events.publishEvent(new TokensMoved(accountId, kind, amount));
    }
}
