package dev.reelroute.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import contractclient.admin.model.AccountKey;
import contractclient.admin.model.CreateAccountRequest;
import contractclient.admin.model.CreateKeyRequest;
import contractclient.admin.model.LedgerEntry;
import contractclient.admin.model.TopUpRequest;
import contractclient.generate.model.GenerateRequest;
import contractclient.generate.model.GenerateStatus;
import contractclient.jobs.model.JobCreated;
import contractclient.jobs.model.JobListItem;
import contractclient.jobs.model.JobStatus;
import contractclient.style.model.CreateJobRequest;
import contractclient.style.model.JobResponse;
import contractclient.videojobs.model.VideoJob;
import contractclient.videoprojects.model.Run;
import contractclient.videoprojects.model.RunStarted;
import dev.reelroute.support.ApiClient.Response;
import dev.reelroute.support.LocalReceiversServiceTest;
import dev.reelroute.support.TestMedia;
import dev.reelroute.support.Tokens;
import dev.reelroute.tokens.TokenLedger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestTemplate;

/**
 * Each surface's main flow through a client no one here wrote: openapi-generator builds one from each contract
 * {@code openapi/<surface>.yaml} (pom.xml, generate-test-sources, package {@code contractclient.<surface>}), and it
 * runs against the service. Each answer is read into the contract's models, which refuse a field, type or enum the
 * contract does not have.
 */
class ContractClientsTest extends LocalReceiversServiceTest {
    @TempDir
    static Path media;

    @Autowired
    CamelContext camel;

    @Test
    void jobsAnImageAndAVoiceoverBecomeAVideo() throws Exception {
        contractclient.jobs.ApiClient client = new contractclient.jobs.ApiClient(strictRestTemplate())
                .setBasePath(baseUrl());
        ((contractclient.jobs.auth.ApiKeyAuth) client.getAuthentication("ApiKey")).setApiKey(newKey("jobs", 0));
        var jobs = new contractclient.jobs.api.DefaultApi(client);

        JobCreated created = jobs.jobIngest(TestMedia.png(media, 320, 180).toFile(),
                TestMedia.wav(media, 1.0).toFile(), null, null, null);
        assertThat(created.getMessage().getValue()).isEqualTo("Job created");
        String jobId = created.getJobId();

        JobStatus status = awaitEnd(() -> jobs.jobStatus(jobId, null), read -> read.getStatus().getValue(),
                Set.of("COMPLETED", "FAILED", "CANCELLED"));
        assertThat(status.getStatus()).as(status.toString()).isEqualTo(JobStatus.StatusEnum.COMPLETED);
        assertThat(status.getProgress()).isEqualTo(100);
        assertThat(status.getErrorMessage()).isNull();
        assertThat(jobs.listJobs(null, null, null).getJobs()).extracting(JobListItem::getId).contains(jobId);
        assertIsAnMp4(status.getOutputVideo());

        // a refusal is the contract's error body
        HttpClientErrorException notFound = catchThrowableOfType(
                () -> jobs.jobStatus("no-such-job", null), HttpClientErrorException.NotFound.class);
        var error = new ObjectMapper().readValue(notFound.getResponseBodyAsByteArray(),
                contractclient.jobs.model.Error.class);
        assertThat(error.getError()).isEqualTo("Job not found");
    }

    @Test
    void generateAPromptAndAScriptBecomeAVideo() throws Exception {
        contractclient.generate.ApiClient client = new contractclient.generate.ApiClient(strictRestTemplate())
                .setBasePath(baseUrl());
        ((contractclient.generate.auth.ApiKeyAuth) client.getAuthentication("ApiKey"))
                .setApiKey(newKey("generate", 1000));
        var generate = new contractclient.generate.api.DefaultApi(client);

        String jobId = generate.generate(new GenerateRequest().prompt("a red kite over a beach")
                .script("The wind carries it higher."), null).getJobId();

        GenerateStatus status = awaitEnd(() -> generate.jobStatus(jobId, null), read -> read.getStatus().getValue(),
                Set.of("completed", "failed", "cancelled"));
        assertThat(status.getStatus()).as(status.toString()).isEqualTo(GenerateStatus.StatusEnum.COMPLETED);
        assertIsAnMp4(status.getOutput().getVideoUrl());
    }

    @Test
    void videoJobsAPromptBecomesAVideo() throws Exception {
        contractclient.videojobs.ApiClient client = new contractclient.videojobs.ApiClient(strictRestTemplate())
                .setBasePath(baseUrl());
        ((contractclient.videojobs.auth.ApiKeyAuth) client.getAuthentication("ApiKey"))
                .setApiKey(newKey("video-jobs", 1000));
        var videoJobs = new contractclient.videojobs.api.DefaultApi(client);

        VideoJob created = videoJobs.videoJobCreate("veo-3.1-fast-generate-preview", true, null,
                "A slow zoom in on a lighthouse at dusk", "720p", "16:9", 4, null, null, null, null);
        assertThat(created.getPrompt()).isEqualTo("A slow zoom in on a lighthouse at dusk");

        VideoJob job = awaitEnd(() -> videoJobs.videoJobGet(created.getId(), null), read -> read.getStatus().getValue(),
                Set.of("SUCCEEDED", "FAILED", "CANCELLED"));
        assertThat(job.getStatus()).as(job.toString()).isEqualTo(VideoJob.StatusEnum.SUCCEEDED);
        assertThat(videoJobs.videoJobList(null, null, null).getJobs()).extracting(VideoJob::getId)
                .contains(created.getId());
        assertIsAnMp4(job.getVideoUrl());
    }

    @Test
    void styleAnUploadedVideoIsGradedTowardATemplate() throws Exception {
        contractclient.style.ApiClient client = new contractclient.style.ApiClient(strictRestTemplate())
                .setBasePath(baseUrl());
        ((contractclient.style.auth.ApiKeyAuth) client.getAuthentication("ApiKey")).setApiKey(newKey("style", 1000));
        var style = new contractclient.style.api.DefaultApi(client);

        Path clip = media.resolve("style-source.mp4");
        TestMedia.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10:duration=1", "-f", "lavfi", "-i",
                "sine=frequency=440:duration=1", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", clip.toString());
        String videoId = style.styleUploadVideo(clip.toFile()).getData().getVideoId();
        assertThat(style.styleGetVideo(videoId).getData().getHasAudio()).isTrue();

        String jobId = style.styleCreateJob(new CreateJobRequest().videoId(videoId).templateVideoId(videoId), null)
                .getData().getJobId();
        JobResponse job = awaitEnd(() -> style.styleGetJob(jobId, null).getData(), read -> read.getStatus().getValue(),
                Set.of("completed", "failed", "cancelled"));
        assertThat(job.getStatus()).as(job.toString()).isEqualTo(JobResponse.StatusEnum.COMPLETED);
        assertIsAnMp4(style.styleGetResult(jobId).getData().getOutputVideoUrl());
    }

    @Test
    void videoProjectsAClipBecomesAVideoReadWithTheRunsToken() throws Exception {
        contractclient.videoprojects.ApiClient client = new contractclient.videoprojects.ApiClient(
                strictRestTemplate()).setBasePath(baseUrl());
        ((contractclient.videoprojects.auth.ApiKeyAuth) client.getAuthentication("ApiKey"))
                .setApiKey(newKey("video-projects", 1000));
        var projects = new contractclient.videoprojects.api.DefaultApi(client);

        String projectId = projects.projectCreate("contract client", null, null, null, null, null, null).getId();
        projects.projectAddClip(projectId, TestMedia.png(media, 320, 180).toFile(), "slow zoom in", null);
        assertThat(projects.projectListClips(projectId).getClips()).hasSize(1);
        RunStarted started = projects.projectGenerate(
                new contractclient.videoprojects.model.GenerateRequest().videoProjectId(projectId));

        // the run is read with its public access token alone
        ((contractclient.videoprojects.auth.HttpBearerAuth) client.getAuthentication("RunAccessToken"))
                .setBearerToken(started.getPublicAccessToken());
        Run run = awaitEnd(() -> projects.runRead(started.getRunId(), null), read -> read.getStatus().getValue(),
                Set.of("completed", "failed"));
        assertThat(run.getStatus()).as(run.toString()).isEqualTo(Run.StatusEnum.COMPLETED);
        assertIsAnMp4(run.getFinalVideoUrl());
    }

    @Test
    void adminAnAccountItsKeysAndItsTokens() {
        contractclient.admin.ApiClient client = new contractclient.admin.ApiClient(strictRestTemplate())
                .setBasePath(baseUrl());
        ((contractclient.admin.auth.HttpBearerAuth) client.getAuthentication("AdminToken")).setBearerToken(ADMIN_TOKEN);
        var admin = new contractclient.admin.api.DefaultApi(client);

        var account = admin.adminCreateAccount(new CreateAccountRequest().name("contract client"), null);
        String accountId = account.getAccountId();
        assertThat(account.getApiKey()).startsWith("rr_");
        var key = admin.adminCreateKey(accountId, new CreateKeyRequest().label("ci"), null);
        assertThat(admin.adminTopUpTokens(accountId, new TopUpRequest().amount(5L).reason("contract"), null)
                .getTokenBalance()).isEqualTo(5L);
        assertThat(admin.adminTokenLedger(accountId, null).getEntries()).extracting(LedgerEntry::getKind)
                .contains(LedgerEntry.KindEnum.TOP_UP);
        assertThat(admin.adminDeactivateKey(key.getApiKeyId(), null).getSuccess()).isTrue();
        assertThat(admin.adminReadAccount(accountId, null).getKeys())
                .filteredOn(AccountKey::getApiKeyId, key.getApiKeyId()).extracting(AccountKey::getActive)
                .containsExactly(false);
        assertThat(everyAccountListed(admin)).contains(accountId);
    }

    /** The admin list to its end, page by page: other classes' accounts share the database. */
    private static List<String> everyAccountListed(contractclient.admin.api.DefaultApi admin) {
        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            var page = admin.adminListAccounts(100, cursor, null);
            page.getAccounts().forEach(account -> listed.add(account.getAccountId()));
            cursor = page.getPagination().getNextCursor();
        } while (cursor != null);
        return listed;
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private String newKey(String name, long tokens) {
        var account = accounts.createAccount("contract-" + name, null, 1);
        if (tokens > 0) {
            Tokens.topUp(camel, account.account().id(), tokens);
        }
        return accounts.createKey(account.account().id(), name, null).apiKey();
    }

    /** Reads until the job has ended (generous: the machine renders for several tests at once). */
    private static <T> T awaitEnd(Callable<T> read, Function<T, String> status, Set<String> ended) {
        return await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250))
                .until(read, answer -> ended.contains(status.apply(answer)));
    }

    /** A video link as the contract gives it (no operation of its own): followed as it is, it answers an MP4. */
    private void assertIsAnMp4(String link) throws Exception {
        Response video = api.getAbsolute(link, null);
        assertThat(video.status()).isEqualTo(200);
        assertThat(video.header("Content-Type")).isEqualTo("video/mp4");
        assertThat(new String(Arrays.copyOfRange(video.bytes(), 4, 8), StandardCharsets.US_ASCII)).isEqualTo("ftyp");
    }

    /** Spring's own RestTemplate, but an answer's field that the contract's model lacks fails the read. */
    private static RestTemplate strictRestTemplate() {
        RestTemplate template = new RestTemplate();
        template.getMessageConverters().stream()
                .filter(MappingJackson2HttpMessageConverter.class::isInstance)
                .map(MappingJackson2HttpMessageConverter.class::cast)
                .forEach(json -> json.getObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
        return template;
    }
}
