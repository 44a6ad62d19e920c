package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.web.ApiAuthFilter;
import dev.reelroute.security.Secrets;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.TestJwts;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.WorkerlessServiceTest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An account as its own key reads it (GET /api/account) and as the admin API lists and reads it: the id a new
 * user needs for a top-up or a JMS selector, limits, balance, usage, and never a secret. No worker runs, so submitted
 * jobs stay pending and the usage counts hold still; other classes' accounts share the database, so listings are
 * read to their end.
 */
class AccountApiTest extends WorkerlessServiceTest {
    @TempDir
    Path media;

    /** An account made through the admin API, as an operator would: the answer with its key and secret. */
    private JsonNode createAccount(String name, int maxActiveJobsPerKey) throws Exception {
        ApiClient.Response created = api.postJson("/admin/accounts", ADMIN_TOKEN,
                "{\"name\":\"" + name + "\",\"maxActiveJobsPerKey\":" + maxActiveJobsPerKey + "}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    /** No secret of the account is in the answer: not its webhook secret, a raw key or a key's hash. */
    private static void assertNoSecrets(ApiClient.Response response, JsonNode created, String... rawKeys) {
        assertThat(response.body()).doesNotContain(created.get("webhookSecret").asText(), "whsec_", "webhookSecret",
                "keyHash", "key_hash");
        for (String rawKey : rawKeys) {
            assertThat(response.body()).doesNotContain(rawKey, Secrets.sha256Hex(rawKey));
        }
    }

    /** The admin list read to its end in pages of {@code limit}, following nextCursor. */
    private Listing listEveryAccount(int limit) throws Exception {
        List<JsonNode> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            ApiClient.Response page = api.getWithBearer("/admin/accounts?limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor), ADMIN_TOKEN);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode body = page.json();
            assertThat(body.get("accounts").size()).isLessThanOrEqualTo(limit);
            body.get("accounts").forEach(listed::add);
            cursor = body.get("pagination").get("nextCursor").isNull() ? null
                    : body.get("pagination").get("nextCursor").asText();
            assertThat(body.get("pagination").get("hasNextPage").asBoolean()).isEqualTo(cursor != null);
            pages++;
        } while (cursor != null);
        return new Listing(listed, pages);
    }

    private record Listing(List<JsonNode> accounts, int pages) {
        List<String> ids() {
            return accounts.stream().map(account -> account.get("accountId").asText()).toList();
        }
    }

    @Test
    void aKeyReadsItsOwnAccountWithLimitsBalanceAndUsage() throws Exception {
        JsonNode studio = createAccount("Studio", 2);
        String key = studio.get("apiKey").asText();
        String accountId = studio.get("accountId").asText();
        JsonNode other = createAccount("Elsewhere", 1);

        ApiClient.Response fresh = api.get("/api/account", key);
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
        JsonNode account = fresh.json();
        assertThat(account.get("accountId").asText()).isEqualTo(accountId);
        assertThat(account.get("name").asText()).isEqualTo("Studio");
        assertThat(account.get("apiKeyId").asText()).isEqualTo(studio.get("apiKeyId").asText());
        assertThat(account.get("tokenBalance").asLong()).isZero();
        assertThat(account.get("limits").get("maxActiveJobsPerKey").asInt()).isEqualTo(2);
        assertThat(account.get("limits").get("maxActiveVideoJobs").asInt()).isPositive();
        assertThat(account.get("usage").get("jobs").asLong()).isZero();
        assertThat(account.get("createdAt").asText()).endsWith("Z");
        assertNoSecrets(fresh, studio, key);

        // a top-up and a job show in the next read
        assertThat(api.postJson("/admin/accounts/" + accountId + "/tokens", ADMIN_TOKEN,
                "{\"amount\":500,\"reason\":\"pilot\"}").status()).isEqualTo(200);
        ApiClient.Response submitted = api.submit(key, TestMedia.png(media, 64, 48), "image/png",
                TestMedia.wav(media, 1), "audio/wav", null);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
        JsonNode after = api.get("/api/account", key).json();
        assertThat(after.get("tokenBalance").asLong()).isEqualTo(500);
        assertThat(after.get("usage").get("jobs").asLong()).isEqualTo(1);
        assertThat(after.get("usage").get("activeJobs").asLong()).isEqualTo(1);

        // another account's key reads that account, never this one
        JsonNode theirs = api.get("/api/account", other.get("apiKey").asText()).json();
        assertThat(theirs.get("accountId").asText()).isEqualTo(other.get("accountId").asText());
        assertThat(theirs.get("tokenBalance").asLong()).isZero();
        assertThat(theirs.get("usage").get("jobs").asLong()).isZero();

        // a JWT names the account, not a key
        String jwt = TestJwts.hs256(JWT_SECRET, TestJwts.claims(accountId, Instant.now()).build());
        JsonNode byJwt = api.getWithBearer("/api/account", jwt).json();
        assertThat(byJwt.get("accountId").asText()).isEqualTo(accountId);
        assertThat(byJwt.get("apiKeyId").isNull()).isTrue();
    }

    @Test
    void aDeactivatedKeyOrNoKeyIsRefused() throws Exception {
        JsonNode studio = createAccount("Refusals", 1);
        String key = studio.get("apiKey").asText();
        assertThat(api.get("/api/account", key).status()).isEqualTo(200);
        assertThat(api.postJson("/admin/keys/" + studio.get("apiKeyId").asText() + "/deactivate", ADMIN_TOKEN, "")
                .status()).isEqualTo(200);

        ApiClient.Response deactivated = api.get("/api/account", key);
        assertThat(deactivated.status()).isEqualTo(401);
        assertThat(deactivated.json().get("error").asText()).isEqualTo(ApiAuthFilter.KEY_NOT_RECOGNIZED);
        ApiClient.Response none = api.get("/api/account", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().get("error").asText()).isEqualTo(ApiAuthFilter.MISSING);
    }

    @Test
    void theAdminListsAccountsInPagesAndReadsOneWithItsKeys() throws Exception {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add(createAccount("Listed " + i, 1).get("accountId").asText());
        }

        // every page, by nextCursor: each account once, oldest first
        Listing byTwo = listEveryAccount(2);
        List<String> listed = byTwo.ids();
        assertThat(byTwo.accounts()).allSatisfy(item -> assertThat(item.has("webhookSecret")).isFalse());
        assertThat(listed).doesNotHaveDuplicates().containsAll(made);
        assertThat(byTwo.accounts().stream().map(item -> item.get("createdAt").asText()).toList()).as("oldest first")
                .isSorted();
        assertThat(byTwo.pages()).isGreaterThanOrEqualTo(3);
        // pages of 100 list the same accounts in the same order
        assertThat(listEveryAccount(100).ids()).containsExactlyElementsOf(listed);

        // one account: its limits, usage and keys (id, label, active), no secret
        JsonNode studio = createAccount("Keys", 3);
        String accountId = studio.get("accountId").asText();
        ApiClient.Response second = api.postJson("/admin/accounts/" + accountId + "/keys", ADMIN_TOKEN,
                "{\"label\":\"teammate\"}");
        assertThat(api.postJson("/admin/keys/" + studio.get("apiKeyId").asText() + "/deactivate", ADMIN_TOKEN, "")
                .status()).isEqualTo(200);
        ApiClient.Response read = api.getWithBearer("/admin/accounts/" + accountId, ADMIN_TOKEN);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        JsonNode account = read.json();
        assertThat(account.get("name").asText()).isEqualTo("Keys");
        assertThat(account.get("limits").get("maxActiveJobsPerKey").asInt()).isEqualTo(3);
        assertThat(account.get("usage").get("jobs").asLong()).isZero();
        assertThat(account.get("keys").findValuesAsText("apiKeyId"))
                .containsExactly(studio.get("apiKeyId").asText(), second.json().get("apiKeyId").asText());
        assertThat(account.get("keys").get(0).get("active").asBoolean()).isFalse();
        assertThat(account.get("keys").get(0).get("deactivatedAt").isTextual()).isTrue();
        assertThat(account.get("keys").get(1).get("label").asText()).isEqualTo("teammate");
        assertThat(account.get("keys").get(1).get("active").asBoolean()).isTrue();
        assertNoSecrets(read, studio, studio.get("apiKey").asText(), second.json().get("apiKey").asText());

        ApiClient.Response missing = api.getWithBearer("/admin/accounts/cmnosuchaccount0000000000", ADMIN_TOKEN);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("Account not found");
        ApiClient.Response badCursor = api.getWithBearer("/admin/accounts?cursor=" + made.get(0) + "x", ADMIN_TOKEN);
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.json().get("error").asText()).startsWith("Invalid cursor");
        ApiClient.Response badLimit = api.getWithBearer("/admin/accounts?limit=0", ADMIN_TOKEN);
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().get("error").asText()).isEqualTo("limit must be an integer from 1 to 100");
    }

    @Test
    void theAdminReadsNeedTheAdminToken() throws Exception {
        String accountId = createAccount("Guarded", 1).get("accountId").asText();
        String key = newAccountKey("not-an-admin");
        for (String path : List.of("/admin/accounts", "/admin/accounts/" + accountId)) {
            ApiClient.Response anonymous = api.get(path, null);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.json().get("error").asText()).isEqualTo("Missing or wrong admin token");
            assertThat(api.getWithBearer(path, ADMIN_TOKEN + "x").status()).as(path).isEqualTo(401);
            assertThat(api.getWithBearer(path, key).status()).as(path).isEqualTo(401);
            assertThat(api.get(path, key).status()).as(path).isEqualTo(401);
        }
    }
}
