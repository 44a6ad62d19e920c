package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.job.JobStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.SmallUploadsServiceTest;
import dev.reelroute.support.StoredFiles;
import dev.reelroute.support.TestMedia;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every error code of the jobs API with its trigger, each answered with {"error": "..."}. No worker runs here,
 * so submitted jobs stay PENDING (as they would behind a busy queue).
 */
class JobsApiErrorsTest extends SmallUploadsServiceTest {
    @TempDir
    static Path media;
    static Path image;
    static Path audio;

    @Autowired
    JobStore jobStore;

    @BeforeAll
    static void makeMedia() throws Exception {
        image = TestMedia.png(media, 320, 240);
        audio = TestMedia.wav(media, 2.0);
    }

    private static void assertError(ApiClient.Response response, int status, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().get("error").asText()).contains(messagePart);
        assertThat(response.body()).doesNotContain("Exception", "at dev.", "at org.");
    }

    private long storedFiles() throws Exception {
        return StoredFiles.count(dataDir);
    }

    @Test
    void missingAndUnknownKeysAreRefusedWithDifferentMessages() throws Exception {
        ApiClient.Response missing = api.get("/api/jobs", null);
        assertError(missing, 401, "Missing X-API-Key");
        ApiClient.Response unknown = api.get("/api/jobs", "rr_not-a-key");
        assertError(unknown, 401, "not recognized or has been deactivated");
        assertThat(missing.json().get("error").asText()).isNotEqualTo(unknown.json().get("error").asText());

        // an upload without a key is refused before its body is parsed
        assertError(api.submit(null, image, "image/png", audio, "audio/wav", null), 401, "Missing X-API-Key");
        // an encoded path can't dodge the key check
        assertThat(api.get("/%61pi/jobs", null).status()).isIn(400, 401, 404);
        assertThat(api.get("/%61pi/jobs", null).body()).doesNotContain("\"jobs\"");
    }

    @Test
    void adminCreatesAccountsAndKeysAndDeactivatedKeysStopWorking() throws Exception {
        assertError(api.postJson("/admin/accounts", null, "{\"name\":\"x\"}"), 401, "admin token");
        assertError(api.postJson("/admin/accounts", "wrong", "{\"name\":\"x\"}"), 401, "admin token");
        assertError(api.postJson("/admin/accounts", ADMIN_TOKEN, "{not json"), 400, "Malformed JSON");
        assertError(api.postJson("/admin/accounts", ADMIN_TOKEN, "{}"), 400, "name is required");
        assertError(api.postJson("/admin/accounts", ADMIN_TOKEN, ""), 400, "A JSON body is required");
        assertError(api.postJson("/admin/accounts", ADMIN_TOKEN, "[1,2]"), 400, "must be an object");
        assertError(api.postJson("/admin/accounts", ADMIN_TOKEN, "[".repeat(5000) + "]".repeat(5000)), 400,
                "Malformed JSON body");
        assertError(api.postJson("/admin/accounts", ADMIN_TOKEN, "{\"name\": 1" + "0".repeat(5000) + "}"), 400,
                "Malformed JSON body");

        ApiClient.Response account = api.postJson("/admin/accounts", ADMIN_TOKEN, "{\"name\":\"Studio\"}");
        assertThat(account.status()).isEqualTo(201);
        String accountId = account.json().get("accountId").asText();
        assertThat(account.json().get("webhookSecret").asText()).startsWith("whsec_");
        String firstKey = account.json().get("apiKey").asText();
        assertThat(api.get("/api/jobs", firstKey).status()).isEqualTo(200);

        ApiClient.Response second = api.postJson("/admin/accounts/" + accountId + "/keys", ADMIN_TOKEN,
                "{\"label\":\"teammate\"}");
        assertThat(second.status()).isEqualTo(201);
        String secondKey = second.json().get("apiKey").asText();
        assertThat(api.get("/api/jobs", secondKey).status()).isEqualTo(200);

        ApiClient.Response deactivated = api.postJson(
                "/admin/keys/" + second.json().get("apiKeyId").asText() + "/deactivate", ADMIN_TOKEN, "");
        assertThat(deactivated.status()).isEqualTo(200);
        assertError(api.get("/api/jobs", secondKey), 401, "not recognized or has been deactivated");
        assertThat(api.get("/api/jobs", firstKey).status()).isEqualTo(200);
        assertError(api.postJson("/admin/accounts/nope/keys", ADMIN_TOKEN, "{}"), 404, "Account not found");

        // tokens: admin tops up, the ledger shows it
        assertError(api.postJson("/admin/accounts/" + accountId + "/tokens", ADMIN_TOKEN, "{\"amount\":0}"), 400,
                "amount");
        assertError(api.postJson("/admin/accounts/" + accountId + "/tokens", ADMIN_TOKEN, "{\"amount\":1.5}"), 400,
                "amount");
        assertError(api.postJson("/admin/accounts/" + accountId + "/tokens", null, "{\"amount\":10}"), 401,
                "admin token");
        ApiClient.Response topUp = api.postJson("/admin/accounts/" + accountId + "/tokens", ADMIN_TOKEN,
                "{\"amount\":500,\"reason\":\"pilot\"}");
        assertThat(topUp.status()).as(topUp.body()).isEqualTo(200);
        assertThat(topUp.json().get("tokenBalance").asLong()).isEqualTo(500);
        ApiClient.Response ledger = api.getWithBearer("/admin/accounts/" + accountId + "/ledger", ADMIN_TOKEN);
        assertThat(ledger.json().get("tokenBalance").asLong()).isEqualTo(500);
        assertThat(ledger.json().get("entries").get(0).get("kind").asText()).isEqualTo("top_up");
        assertThat(ledger.json().get("entries").get(0).get("reason").asText()).isEqualTo("pilot");
    }

    @Test
    void filesAreJudgedByTheirBytesNotTheirNameOrContentType() throws Exception {
        String key = newAccountKey("types");
        int jobsBefore = jobRows();
        long filesBefore = storedFiles();
        byte[] text = "this is not an image at all, just text".getBytes(StandardCharsets.UTF_8);
        ApiClient.Response fakeImage = api.postMultipart("/api/jobs", key, List.of(
                Part.file("image", "portrait.png", "image/png", text), Part.file("audio", audio, "audio/wav")));
        assertError(fakeImage, 415, "Unsupported image type");

        ApiClient.Response imageAsAudio = api.postMultipart("/api/jobs", key, List.of(
                Part.file("image", image, "image/png"),
                Part.file("audio", "voiceover.mp3", "audio/mpeg", Files.readAllBytes(image))));
        assertError(imageAsAudio, 415, "Unsupported audio type");

        ApiClient.Response empty = api.postMultipart("/api/jobs", key, List.of(
                Part.file("image", "empty.png", "image/png", new byte[0]), Part.file("audio", audio, "audio/wav")));
        assertError(empty, 400, "empty");
        assertThat(jobRows()).isEqualTo(jobsBefore);
        assertThat(storedFiles()).isEqualTo(filesBefore);
    }

    @Test
    void missingFieldsAreBadRequests() throws Exception {
        String key = newAccountKey("fields");
        assertError(api.postMultipart("/api/jobs", key, List.of(Part.file("audio", audio, "audio/wav"))), 400,
                "'image'");
        assertError(api.postMultipart("/api/jobs", key, List.of(Part.file("image", image, "image/png"))), 400,
                "'audio'");
    }

    @Test
    void oversizedUploadIs413() throws Exception {
        String key = newAccountKey("big");
        Path big = media.resolve("big.png");
        byte[] bytes = new byte[2 * MAX_FILE_MB * 1024 * 1024];
        System.arraycopy(Files.readAllBytes(image), 0, bytes, 0, (int) Files.size(image));
        Files.write(big, bytes);
        long filesBefore = storedFiles();
        assertError(api.submit(key, big, "image/png", audio, "audio/wav", null), 413, "exceeded " + MAX_FILE_MB + " MB");
        assertThat(storedFiles()).isEqualTo(filesBefore);
    }

    @Test
    void hugeImageDimensionsAreRefusedFromTheHeader() throws Exception {
        String key = newAccountKey("huge");
        Path huge = media.resolve("huge.png");
        Files.write(huge, TestMedia.pngDeclaring(100_000, 100_000));
        assertError(api.submit(key, huge, "image/png", audio, "audio/wav", null), 400, "100000x100000");
    }

    @Test
    void audioLongerThanTheLimitIsRefused() throws Exception {
        String key = newAccountKey("long");
        Path longAudio = TestMedia.wav(media, AUDIO_MAX_SECONDS + 1);
        assertError(api.submit(key, image, "image/png", longAudio, "audio/wav", null), 400,
                "limit is " + AUDIO_MAX_SECONDS + " s");
    }

    @Test
    void webhookUrlsMustBeHttpsAndNotInternal() throws Exception {
        String key = newAccountKey("hooks");
        assertError(api.submit(key, image, "image/png", audio, "audio/wav", "http://example.com/hook"), 400,
                "https://");
        for (String internal : List.of("https://127.0.0.1/hook", "https://10.1.2.3/hook",
                "https://169.254.169.254/latest/meta-data", "https://[::1]/hook", "https://localhost/hook",
                "https://192.168.1.10/x")) {
            assertError(api.submit(key, image, "image/png", audio, "audio/wav", internal), 400, "webhookUrl");
        }
        assertError(api.submit(key, image, "image/png", audio, "audio/wav", "not a url"), 400, "webhookUrl");
        assertThat(api.get("/api/jobs", key).json().get("jobs")).isEmpty();
    }

    @Test
    void oneActiveJobPerKeyAndCancelOnlyWhilePending() throws Exception {
        var member = newAccount("active");
        String key = member.apiKey();
        ApiClient.Response first = api.submit(key, image, "image/png", audio, "audio/wav", null);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        String jobId = first.json().get("jobId").asText();
        assertThat(api.get("/api/status/" + jobId, key).json().get("status").asText()).isEqualTo("PENDING");

        assertError(api.submit(key, image, "image/png", audio, "audio/wav", null), 409, "active job");
        // another key of the same account is another member, with its own active job
        String teammate = accounts.createKey(member.accountId(), "teammate", null).apiKey();
        ApiClient.Response teammateJob = api.submit(teammate, image, "image/png", audio, "audio/wav", null);
        assertThat(teammateJob.status()).isEqualTo(201);

        ApiClient.Response cancelled = api.post("/api/jobs/" + jobId + "/cancel", key);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("success").asBoolean()).isTrue();
        assertThat(cancelled.json().get("message").asText()).isEqualTo("Job cancelled successfully");
        assertThat(api.get("/api/status/" + jobId, key).json().get("status").asText()).isEqualTo("CANCELLED");
        assertError(api.post("/api/jobs/" + jobId + "/cancel", key), 409, "CANCELLED");

        // once cancelled, the key may submit again; once a worker has the job, it can't be cancelled
        ApiClient.Response next = api.submit(key, image, "image/png", audio, "audio/wav", null);
        assertThat(next.status()).isEqualTo(201);
        String running = next.json().get("jobId").asText();
        assertThat(claimAs(running, "test-worker", java.time.Duration.ofMinutes(1)).claimed()).isTrue();
        assertError(api.post("/api/jobs/" + running + "/cancel", key), 409, "PROCESSING");
        assertThat(api.get("/api/status/" + running, key).json().get("status").asText()).isEqualTo("PROCESSING");
    }

    @Test
    void anotherAccountsJobDoesNotExistForYou() throws Exception {
        String owner = newAccountKey("owner");
        String stranger = newAccountKey("stranger");
        String jobId = api.submit(owner, image, "image/png", audio, "audio/wav", null).json().get("jobId").asText();

        assertError(api.get("/api/status/" + jobId, stranger), 404, "Job not found");
        assertError(api.post("/api/jobs/" + jobId + "/cancel", stranger), 404, "Job not found");
        assertThat(api.get("/api/jobs", stranger).json().get("jobs")).isEmpty();
        assertError(api.get("/api/status/nosuchjob", owner), 404, "Job not found");
        assertThat(api.get("/api/status/" + jobId, owner).json().get("status").asText()).isEqualTo("PENDING");
    }

    @Test
    void projectTriggersNeedAJsonBody() throws Exception {
        String key = newAccountKey("json");
        assertError(api.postJsonWithKey("/api/video-projects/generate", key, ""), 400, "A JSON body is required");
        assertError(api.postJsonWithKey("/api/video-projects/generate", key, "{"), 400, "Malformed JSON body");
        assertError(api.postJsonWithKey("/api/video-projects/generate", key, "{}"), 400, "videoProjectId is required");
        assertError(api.postJsonWithKey("/api/video-projects/generate", key, "{\"videoProjectId\":\"vp_nope\"}"), 404,
                "Video project not found");
    }

    @Test
    void listParametersAreChecked() throws Exception {
        String key = newAccountKey("list");
        assertError(api.get("/api/jobs?limit=0", key), 400, "limit");
        assertError(api.get("/api/jobs?limit=101", key), 400, "limit");
        assertError(api.get("/api/jobs?limit=ten", key), 400, "limit");
        assertError(api.get("/api/jobs?status=DONE", key), 400, "status");
        assertError(api.get("/api/jobs?cursor=cunknown", key), 400, "cursor");
        assertThat(api.get("/api/jobs?limit=100&status=PENDING", key).status()).isEqualTo(200);
    }
}
