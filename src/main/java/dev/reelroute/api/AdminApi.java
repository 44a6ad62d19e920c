package dev.reelroute.api;

import dev.reelroute.web.Timestamps;
import dev.reelroute.web.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.security.AccountStore;
import dev.reelroute.tokens.TokenLedger;
import dev.reelroute.tokens.TopUp;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/** /admin/: accounts and keys. Secrets are shown once, in the answer that creates them. */
@Component("adminApi")
public class AdminApi {
    private final AccountStore accounts;
    private final TokenLedger tokens;

    public AdminApi(AccountStore accounts, TokenLedger tokens) {
        this.accounts = accounts;
        this.tokens = tokens;
    }

    /**
     * JSON {"amount": N, "reason": "..."}: the top-up the route admin-top-up-tokens hands to top-up-account (its
     * variable {@code topUp}).
     */
    public TopUp topUp(@Header("accountId") String accountId, JsonNode body) {
        requireAccount(accountId);
        if (body == null || !body.path("amount").canConvertToLong() || !body.path("amount").isIntegralNumber()) {
            throw ApiException.badRequest("amount (a whole number of tokens) is required");
        }
        String reason = text(body, "reason");
        try {
            return new TopUp(accountId, body.get("amount").asLong(), reason == null ? "Admin top-up" : reason);
        } catch (IllegalArgumentException outOfBounds) {
            // TopUp holds the bounds; its message names them
            throw ApiException.badRequest(outOfBounds.getMessage());
        }
    }

    /** The answer to a top-up top-up-account made: the account and its balance after it. */
    public Map<String, Object> toppedUp(@Variable("topUp") TopUp topUp, @Variable("tokenBalance") long balance) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accountId", topUp.accountId());
        answer.put("tokenBalance", balance);
        return answer;
    }

    /** The account's balance and its latest ledger entries, newest first. */
    public Map<String, Object> ledger(@Header("accountId") String accountId) {
        requireAccount(accountId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accountId", accountId);
        answer.put("tokenBalance", tokens.balance(accountId));
        answer.put("entries", tokens.entries(accountId, 200).stream().map(entry -> {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("kind", entry.kind());
            view.put("amount", entry.amount());
            view.put("balanceAfter", entry.balanceAfter());
            view.put("jobId", entry.jobId());
            view.put("reason", entry.reason());
            view.put("createdAt", Timestamps.iso(entry.createdAt()));
            return view;
        }).toList());
        return answer;
    }

    private void requireAccount(String accountId) {
        if (accountId == null || accounts.findAccount(accountId).isEmpty()) {
            throw ApiException.notFound("Account not found");
        }
    }

    public Map<String, Object> createAccount(JsonNode body) {
        String name = text(body, "name");
        if (name == null || name.isBlank() || name.length() > 200) {
            throw ApiException.badRequest("name is required (1-200 characters)");
        }
        JsonNode maxActiveField = body == null ? null : body.get("maxActiveJobsPerKey");
        boolean given = maxActiveField != null && !maxActiveField.isNull();
        // asInt() would wrap 4294967297 to 1 and cut 1.5 to 1: only a whole number in range is taken
        if (given && !(maxActiveField.isIntegralNumber() && maxActiveField.canConvertToInt())) {
            throw ApiException.badRequest("maxActiveJobsPerKey must be from 1 to 100");
        }
        int maxActive = given ? maxActiveField.asInt() : 1;
        if (maxActive < 1 || maxActive > 100) {
            throw ApiException.badRequest("maxActiveJobsPerKey must be from 1 to 100");
        }
        var created = accounts.createAccount(name.strip(), null, maxActive);
        var key = accounts.createKey(created.account().id(), "initial", null);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accountId", created.account().id());
        answer.put("name", created.account().name());
        answer.put("webhookSecret", created.webhookSecret());
        answer.put("apiKeyId", key.keyId());
        answer.put("apiKey", key.apiKey());
        return answer;
    }

    public Map<String, Object> createKey(@Header("accountId") String accountId, JsonNode body) {
        if (accountId == null || accounts.findAccount(accountId).isEmpty()) {
            throw ApiException.notFound("Account not found");
        }
        String label = text(body, "label");
        if (label != null && label.length() > 200) {
            throw ApiException.badRequest("label must be at most 200 characters");
        }
        var key = accounts.createKey(accountId, label, null);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accountId", accountId);
        answer.put("apiKeyId", key.keyId());
        answer.put("apiKey", key.apiKey());
        return answer;
    }

    public Map<String, Object> deactivateKey(@Header("keyId") String keyId) {
        if (keyId == null || accounts.findKeyById(keyId).isEmpty()) {
            throw ApiException.notFound("API key not found");
        }
        accounts.deactivateKey(keyId);
        return Map.of("success", true, "message", "API key deactivated");
    }

    private static String text(JsonNode body, String field) {
        return body != null && body.hasNonNull(field) ? body.get(field).asText() : null;
    }
}
