package dev.reelroute.security;

import dev.reelroute.config.Ids;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Accounts and their API keys. Keys are stored only as SHA-256 hashes; the raw key is shown once. */
@Component
public class AccountStore {
    public static final String API_KEY_PREFIX = "rr_";
    private static final String WEBHOOK_SECRET_PREFIX = "whsec_";
    /** Generated keys are 46 characters; a key longer than this is refused before it is hashed. */
    private static final int MAX_KEY_LENGTH = 200;

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    public AccountStore(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public record CreatedAccount(Account account, String webhookSecret) {}

    public record CreatedKey(String keyId, String accountId, String apiKey) {
        @Override
        public String toString() {
            return "CreatedKey[keyId=" + keyId + ", accountId=" + accountId + "]";
        }
    }

    public record KeyRecord(String id, String accountId, boolean active) {}

    /** A Standard Webhooks style secret: "whsec_" + base64 of 32 random bytes. */
    public static String newWebhookSecret() {
        return WEBHOOK_SECRET_PREFIX + java.util.Base64.getEncoder().encodeToString(
                java.util.Base64.getUrlDecoder().decode(Ids.randomToken(32)));
    }

    public static String newApiKey() {
        return API_KEY_PREFIX + Ids.randomToken(32);
    }

    @Transactional
    public CreatedAccount createAccount(String name, String webhookSecret, int maxActiveJobsPerKey) {
        String secret = webhookSecret == null || webhookSecret.isBlank() ? newWebhookSecret() : webhookSecret;
        String id = Ids.newId();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        jdbc.update("""
                INSERT INTO accounts (id, name, webhook_secret, token_balance, max_active_jobs_per_key, created_at)
                VALUES (:id, :name, :secret, 0, :maxActive, :now)""",
                new MapSqlParameterSource("id", id)
                        .addValue("name", name)
                        .addValue("secret", secret)
                        .addValue("maxActive", maxActiveJobsPerKey)
                        .addValue("now", Timestamp.from(now)));
        return new CreatedAccount(findAccount(id).orElseThrow(), secret);
    }

    /** Adds a key to the account; {@code rawKey} null means a new random one. */
    @Transactional
    public CreatedKey createKey(String accountId, String label, String rawKey) {
        String key = rawKey == null ? newApiKey() : rawKey;
        String id = Ids.newId();
        jdbc.update("""
                INSERT INTO api_keys (id, account_id, key_hash, key_prefix, label, active, created_at)
                VALUES (:id, :accountId, :hash, :prefix, :label, TRUE, :now)""",
                new MapSqlParameterSource("id", id)
                        .addValue("accountId", accountId)
                        .addValue("hash", Secrets.sha256Hex(key))
                        .addValue("prefix", key.substring(0, Math.min(8, key.length())))
                        .addValue("label", label)
                        .addValue("now", Timestamp.from(clock.instant())));
        return new CreatedKey(id, accountId, key);
    }

    public boolean deactivateKey(String keyId) {
        return jdbc.update("UPDATE api_keys SET active = FALSE, deactivated_at = :now WHERE id = :id AND active = TRUE",
                new MapSqlParameterSource("id", keyId).addValue("now", Timestamp.from(clock.instant()))) == 1;
    }

    /**
     * Finds the key by its hash. The lookup goes through a unique index on the hash, so timing reveals nothing
     * about the raw key; the stored hash is still compared in constant time.
     */
    public Optional<KeyRecord> findKey(String rawKey) {
        String hash = Secrets.sha256Hex(rawKey);
        return jdbc.query("SELECT id, account_id, active, key_hash FROM api_keys WHERE key_hash = :hash",
                        new MapSqlParameterSource("hash", hash),
                        (rs, i) -> Secrets.constantTimeEquals(rs.getString("key_hash"), hash)
                                ? new KeyRecord(rs.getString("id"), rs.getString("account_id"), rs.getBoolean("active"))
                                : null)
                .stream().filter(java.util.Objects::nonNull).findFirst();
    }

    /**
     * The caller an API key stands for, whichever transport brought it (an HTTP header, a JMS property): empty
     * when the key is unknown, deactivated or longer than any issued key could be.
     */
    public Optional<ApiPrincipal> principalForKey(String rawKey) {
        if (rawKey == null || rawKey.isBlank() || rawKey.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        return findKey(rawKey.strip()).filter(KeyRecord::active)
                .map(key -> ApiPrincipal.ofApiKey(key.accountId(), key.id()));
    }

    public Optional<KeyRecord> findKeyById(String keyId) {
        return jdbc.query("SELECT id, account_id, active FROM api_keys WHERE id = :id",
                new MapSqlParameterSource("id", keyId),
                (rs, i) -> new KeyRecord(rs.getString("id"), rs.getString("account_id"), rs.getBoolean("active")))
                .stream().findFirst();
    }

    public Optional<Account> findAccount(String accountId) {
        return jdbc.query("SELECT * FROM accounts WHERE id = :id", new MapSqlParameterSource("id", accountId), ACCOUNT)
                .stream().findFirst();
    }

    /** An API key as the admin API lists it: never its hash. */
    public record KeySummary(String id, String label, boolean active, Instant createdAt, Instant deactivatedAt) {}

    /** The account's keys, oldest first. */
    public List<KeySummary> keys(String accountId) {
        return jdbc.query("""
                SELECT id, label, active, created_at, deactivated_at FROM api_keys
                WHERE account_id = :accountId ORDER BY created_at, id""",
                new MapSqlParameterSource("accountId", accountId),
                (rs, i) -> new KeySummary(rs.getString("id"), rs.getString("label"), rs.getBoolean("active"),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("deactivated_at") == null ? null
                                : rs.getTimestamp("deactivated_at").toInstant()));
    }

    /** One page of accounts with their active key counts; {@code nextCursor} is the last account's id. */
    public record AccountPage(List<Account> accounts, Map<String, Integer> activeKeys, String nextCursor,
                              boolean hasNextPage) {}

    /**
     * Oldest first, keyset-paginated on (created_at, id); the cursor is the id of the previous page's last
     * account. An unknown cursor yields empty.
     */
    public Optional<AccountPage> list(String cursor, int limit) {
        MapSqlParameterSource params = new MapSqlParameterSource("limit", limit + 1);
        StringBuilder sql = new StringBuilder("SELECT * FROM accounts");
        if (cursor != null) {
            Optional<Account> after = findAccount(cursor);
            if (after.isEmpty()) {
                return Optional.empty();
            }
            params.addValue("cursorCreated", Timestamp.from(after.get().createdAt())).addValue("cursorId", cursor);
            sql.append(" WHERE created_at > :cursorCreated OR (created_at = :cursorCreated AND id > :cursorId)");
        }
        sql.append(" ORDER BY created_at, id LIMIT :limit");
        List<Account> rows = jdbc.query(sql.toString(), params, ACCOUNT);
        boolean hasNext = rows.size() > limit;
        List<Account> page = List.copyOf(hasNext ? rows.subList(0, limit) : rows);
        Map<String, Integer> activeKeys = new HashMap<>();
        if (!page.isEmpty()) {
            jdbc.query("""
                    SELECT account_id, COUNT(*) AS active_keys FROM api_keys
                    WHERE account_id IN (:ids) AND active = TRUE GROUP BY account_id""",
                    new MapSqlParameterSource("ids", page.stream().map(Account::id).toList()),
                    rs -> {
                        activeKeys.put(rs.getString("account_id"), rs.getInt("active_keys"));
                    });
        }
        return Optional.of(new AccountPage(page, Map.copyOf(activeKeys),
                hasNext ? page.get(page.size() - 1).id() : null, hasNext));
    }

    private static final RowMapper<Account> ACCOUNT = (rs, i) -> new Account(
            rs.getString("id"),
            rs.getString("name"),
            rs.getString("webhook_secret"),
            rs.getLong("token_balance"),
            rs.getInt("max_active_jobs_per_key"),
            rs.getTimestamp("created_at").toInstant());
}
