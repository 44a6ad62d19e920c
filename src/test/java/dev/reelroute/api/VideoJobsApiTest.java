package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.Tokens;
import dev.reelroute.support.WorkerlessServiceTest;
import dev.reelroute.support.TestJwts;
import dev.reelroute.support.TestMedia;
import java.time.Instant;
import dev.reelroute.tokens.LedgerEntry;
import dev.reelroute.tokens.TokenLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * /api/v1/video-jobs: every field rule and error code, the token charge, the concurrency limit,
 * listing, download, cancel and delete. No worker runs here, so jobs stay PENDING as behind a busy queue.
 */
class VideoJobsApiTest extends WorkerlessServiceTest {
    private static final String BASE = "/api/v1/video-jobs";

    @TempDir
    static Path media;
    static Path image;
    static Path wav;

    @Autowired
    TokenLedger ledger;
    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbc;
    @Value("${reelroute.data-dir}")
    Path dataDir;

    private String key;
    private String accountId;

    @BeforeAll
    static void makeMedia() throws Exception {
        image = TestMedia.png(media, 320, 240);
        wav = TestMedia.wav(media, 1.0);
    }

    @BeforeEach
    void account() {
        AccountStore.CreatedKey created = newAccount("video-jobs-" + System.nanoTime());
        key = created.apiKey();
        accountId = created.accountId();
        Tokens.topUp(camel, accountId, 1000);
    }

    private static List<Part> fields(String... nameValues) {
        List<Part> parts = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parts.add(Part.field(nameValues[i], nameValues[i + 1]));
        }
        return parts;
    }

    private static List<Part> valid() {
        return fields("prompt", "A cinematic shot of a sunset over mountains", "model",
                "veo-3.1-fast-generate-preview", "resolution", "1080p", "aspectRatio", "16:9", "durationSeconds", "8",
                "mockMode", "true");
    }

    private static List<Part> with(List<Part> parts, String name, String value) {
        List<Part> changed = new ArrayList<>(parts.stream().filter(p -> !p.name().equals(name)).toList());
        if (value != null) {
            changed.add(Part.field(name, value));
        }
        return changed;
    }

    private ApiClient.Response create(List<Part> parts) throws Exception {
        return api.postMultipart(BASE, key, parts);
    }

    private static void assertDetail(ApiClient.Response response, int status, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        assertThat(response.json().get("detail").asText()).contains(messagePart);
        assertThat(response.body()).doesNotContain("Exception", "at dev.", "at org.");
    }

    private int jobCount() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM jobs WHERE account_id = ?", Integer.class, accountId);
    }

    private long storedFiles(String jobId) throws Exception {
        Path dir = dataDir.resolve("storage").resolve("jobs").resolve(jobId);
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void everyFieldRuleIsA400InTheDocumentsDetailBodyAndChargesNothing() throws Exception {
        assertDetail(create(with(valid(), "model", null)), 400, "Model is required");
        assertDetail(create(with(valid(), "resolution", "4k")), 400, "Resolution must be '720p' or '1080p'");
        assertDetail(create(with(valid(), "resolution", null)), 400, "Resolution must be '720p' or '1080p'");
        assertDetail(create(with(valid(), "aspectRatio", "4:3")), 400, "Aspect ratio must be '16:9' or '9:16'");
        assertDetail(create(with(valid(), "durationSeconds", "5")), 400, "Duration must be 4 or 8 seconds");
        assertDetail(create(with(valid(), "durationSeconds", "eight")), 400, "Duration must be 4 or 8 seconds");
        assertDetail(create(with(valid(), "mockMode", null)), 400, "mockMode is required");
        assertDetail(create(with(valid(), "mockMode", "yes")), 400, "mockMode is required");
        assertDetail(create(with(valid(), "generateAudio", "loud")), 400, "generateAudio must be 'true' or 'false'");
        assertDetail(create(with(valid(), "prompt", null)), 400, "Either prompt or initialImage is required");
        assertDetail(create(with(valid(), "prompt", "x".repeat(2001))), 400, "at most 2000 characters");
        assertDetail(create(with(valid(), "model", "m".repeat(101))), 400, "at most 100 characters");

        List<Part> endOnly = with(valid(), "prompt", "morph");
        endOnly.add(Part.file("endFrame", image, "image/png"));
        assertDetail(create(endOnly), 400, "endFrame needs an initialImage");

        List<Part> tooMany = valid();
        for (int i = 0; i < 4; i++) {
            tooMany.add(Part.file("referenceImages", image, "image/png"));
        }
        assertDetail(create(tooMany), 400, "At most 3 referenceImages");

        List<Part> notAnImage = with(valid(), "prompt", null);
        notAnImage.add(Part.file("initialImage", "frame.png", "image/png", Files.readAllBytes(wav)));
        assertDetail(create(notAnImage), 415, "Unsupported initialImage type");

        List<Part> truncated = valid();
        truncated.add(Part.file("initialImage", "frame.png", "image/png",
                java.util.Arrays.copyOf(Files.readAllBytes(image), 20)));
        assertDetail(create(truncated), 400, "The initialImage could not be read");

        assertThat(jobCount()).isZero();
        assertThat(ledger.balance(accountId)).isEqualTo(1000);
    }

    @Test
    void aMockJobIsAcceptedWithTheDocumentsVideoJobObjectAndChargesFiftyTokensOnce() throws Exception {
        ApiClient.Response created = create(valid());
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        JsonNode job = created.json();
        assertThat(job.get("id").asText()).isNotBlank();
        assertThat(job.get("userId").asText()).isEqualTo(accountId);
        assertThat(job.get("prompt").asText()).isEqualTo("A cinematic shot of a sunset over mountains");
        assertThat(job.get("model").asText()).isEqualTo("veo-3.1-fast-generate-preview");
        assertThat(job.get("resolution").asText()).isEqualTo("1080p");
        assertThat(job.get("aspectRatio").asText()).isEqualTo("16:9");
        assertThat(job.get("durationSeconds").asInt()).isEqualTo(8);
        assertThat(job.get("status").asText()).isEqualTo("PENDING");
        assertThat(job.get("statusMessage").asText()).isEqualTo("Job queued for processing");
        assertThat(job.get("progressPercentage").asInt()).isZero();
        assertThat(job.get("tokensConsumed").asLong()).isEqualTo(50);
        assertThat(job.get("createdAt").asText()).endsWith("Z");
        assertThat(job.get("logs").get(0).get("level").asText()).isEqualTo("info");
        assertThat(job.get("logs").get(0).get("message").asText()).contains("Job created");
        assertThat(job.get("logs").get(0).get("timestamp").asText()).endsWith("Z");
        assertThat(job.get("cloudinaryUrl").isNull()).isTrue();
        assertThat(job.get("engine").asText()).isEqualTo("local");

        assertThat(ledger.balance(accountId)).isEqualTo(950);
        List<LedgerEntry> entries = ledger.entries(accountId, 10);
        assertThat(entries.get(0).kind()).isEqualTo("charge");
        assertThat(entries.get(0).amount()).isEqualTo(-50);
        assertThat(entries.get(0).jobId()).isEqualTo(job.get("id").asText());

        // durationSeconds is optional (8 s) and the id reads back the same object
        ApiClient.Response read = api.get(BASE + "/" + job.get("id").asText(), key);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("status").asText()).isEqualTo("PENDING");
        assertThat(create(with(valid(), "durationSeconds", null)).json().get("durationSeconds").asInt()).isEqualTo(8);
    }

    @Test
    void theDocumentsBearerJwtNamesTheAccountAndAMissingCredentialIsA401Detail() throws Exception {
        String jwt = TestJwts.hs256(JWT_SECRET, TestJwts.claims(accountId, Instant.now()).build());
        ApiClient.Response created = api.postMultipartWithHeaders(BASE, valid(), "Authorization", "Bearer " + jwt);
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        assertThat(created.json().get("userId").asText()).isEqualTo(accountId);
        assertThat(api.getWithBearer(BASE, key).json().get("total").asLong()).isEqualTo(1);
        assertThat(ledger.balance(accountId)).isEqualTo(950);

        ApiClient.Response anonymous = api.postMultipart(BASE, null, valid());
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("detail").asText()).isNotBlank();
        assertThat(jobCount()).isEqualTo(1);
    }

    @Test
    void shortOfTokensIsA402WithTheDocumentsDetailObjectAndNoJob() throws Exception {
        AccountStore.CreatedKey poor = newAccount("poor-" + System.nanoTime());
        Tokens.topUp(camel, poor.accountId(), 20);
        ApiClient.Response refused = api.postMultipart(BASE, poor.apiKey(), valid());
        assertThat(refused.status()).as(refused.body()).isEqualTo(402);
        JsonNode detail = refused.json().get("detail");
        assertThat(detail.get("message").asText())
                .isEqualTo("Insufficient tokens. Operation 'video_generation' costs 50 tokens but you have 20.");
        assertThat(detail.get("cost").asLong()).isEqualTo(50);
        assertThat(detail.get("availableTokens").asLong()).isEqualTo(20);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM jobs WHERE account_id = ?", Integer.class,
                poor.accountId())).isZero();
        assertThat(ledger.balance(poor.accountId())).isEqualTo(20);
    }

    @Test
    void theFourthConcurrentJobIsA429AndIsNotCharged() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(create(valid()).status()).isEqualTo(202);
        }
        List<Part> withImage = valid();
        withImage.add(Part.file("initialImage", image, "image/png"));
        ApiClient.Response fourth = create(withImage);
        assertDetail(fourth, 429, "Maximum 3 concurrent video jobs allowed. "
                + "Please wait for existing jobs to complete.");
        assertThat(jobCount()).isEqualTo(3);
        assertThat(ledger.balance(accountId)).isEqualTo(850);
        // the refused job's image was not left in storage
        try (Stream<Path> files = Files.walk(dataDir.resolve("storage"))) {
            assertThat(files.filter(Files::isRegularFile).map(Path::toString))
                    .noneMatch(name -> name.contains("initial-image"));
        }
    }

    @Test
    void listingPagesWithLimitOffsetTotalAndStatusFilter() throws Exception {
        String first = create(valid()).json().get("id").asText();
        String second = create(valid()).json().get("id").asText();
        assertThat(api.post(BASE + "/" + first + "/cancel", key).status()).isEqualTo(200);

        JsonNode all = api.get(BASE, key).json();
        assertThat(all.get("total").asLong()).isEqualTo(2);
        assertThat(all.get("limit").asInt()).isEqualTo(50);
        assertThat(all.get("jobs")).hasSize(2);
        assertThat(all.get("jobs").get(0).get("id").asText()).isEqualTo(second);

        JsonNode page = api.get(BASE + "?limit=1&offset=1", key).json();
        assertThat(page.get("total").asLong()).isEqualTo(2);
        assertThat(page.get("jobs")).hasSize(1);
        assertThat(page.get("jobs").get(0).get("id").asText()).isEqualTo(first);

        JsonNode pending = api.get(BASE + "?status_filter=PENDING", key).json();
        assertThat(pending.get("total").asLong()).isEqualTo(1);
        assertThat(pending.get("jobs").get(0).get("id").asText()).isEqualTo(second);
        JsonNode cancelled = api.get(BASE + "?status_filter=cancelled", key).json();
        assertThat(cancelled.get("jobs").get(0).get("status").asText()).isEqualTo("CANCELLED");

        assertDetail(api.get(BASE + "?status_filter=DONE", key), 400, "status_filter must be one of");
        assertDetail(api.get(BASE + "?limit=0", key), 400, "limit must be an integer from 1 to 100");
        assertDetail(api.get(BASE + "?limit=1000", key), 400, "limit must be an integer from 1 to 100");
        assertDetail(api.get(BASE + "?offset=-1", key), 400, "offset must be an integer");

        // another account sees none of them
        String other = newAccountKey("other-" + System.nanoTime());
        assertThat(api.get(BASE, other).json().get("total").asLong()).isZero();
        assertDetail(api.get(BASE + "/" + first, other), 404, "not found");
        assertDetail(api.get(BASE + "/" + first + "/download", other), 404, "not found");
        assertThat(api.delete(BASE + "/" + first, other).status()).isEqualTo(404);
    }

    @Test
    void downloadIsA400UntilTheVideoIsReadyAndA404ForUnknownJobs() throws Exception {
        String id = create(valid()).json().get("id").asText();
        assertDetail(api.get(BASE + "/" + id + "/download", key), 400, "Video not ready yet");
        assertDetail(api.get(BASE + "/nosuchjob/download", key), 404, "not found");
        assertThat(api.get(BASE + "/a%2F..%2Fb/download", key).status()).isIn(400, 404);
    }

    @Test
    void cancellingAPendingJobRefundsItsTokensOnceAndTheLedgerShowsBoth() throws Exception {
        String id = create(valid()).json().get("id").asText();
        assertThat(ledger.balance(accountId)).isEqualTo(950);
        ApiClient.Response cancelled = api.post(BASE + "/" + id + "/cancel", key);
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(ledger.balance(accountId)).isEqualTo(1000);
        assertDetail(api.post(BASE + "/" + id + "/cancel", key), 409, "CANCELLED");
        assertThat(ledger.balance(accountId)).isEqualTo(1000);
        List<LedgerEntry> entries = ledger.entries(accountId, 10);
        assertThat(entries).extracting(LedgerEntry::kind).containsSubsequence("refund", "charge");
        assertThat(entries.stream().filter(e -> id.equals(e.jobId())).mapToLong(LedgerEntry::amount).sum()).isZero();
    }

    @Test
    void deleteRemovesTheRecordAndItsStoredFilesButKeepsTheLedger() throws Exception {
        List<Part> parts = with(valid(), "prompt", null);
        parts.add(Part.file("referenceImages", image, "image/png"));
        parts.add(Part.file("referenceImages", TestMedia.png(media, 64, 48), "image/png"));
        parts.add(Part.field("prompt", "a product turntable"));
        ApiClient.Response created = create(parts);
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String id = created.json().get("id").asText();
        assertThat(created.json().get("referenceImageCount").asInt()).isEqualTo(2);
        assertThat(storedFiles(id)).isEqualTo(2);

        ApiClient.Response deleted = api.delete(BASE + "/" + id, key);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.bytes()).isEmpty();
        assertDetail(api.get(BASE + "/" + id, key), 404, "not found");
        assertThat(storedFiles(id)).isZero();
        assertThat(api.delete(BASE + "/" + id, key).status()).isEqualTo(404);
        // it never ran: deleting it cancelled it first, and the tokens came back
        assertThat(ledger.balance(accountId)).isEqualTo(1000);
        assertThat(ledger.entries(accountId, 10)).extracting(LedgerEntry::jobId).contains(id);
    }

    @Test
    void aRealModelWithoutAConfiguredProviderIsA400NamingTheModelAndTheSetting() throws Exception {
        assertDetail(create(with(valid(), "mockMode", "false")), 400,
                "Model 'veo-3.1-fast-generate-preview' runs on replicate, which is not configured: set "
                        + "REPLICATE_API_TOKEN");
        assertDetail(create(with(valid(), "model", "sora-9")), 400, "Unknown model 'sora-9'; known models: ");
        assertThat(jobCount()).isZero();
        assertThat(ledger.balance(accountId)).isEqualTo(1000);
    }
}
