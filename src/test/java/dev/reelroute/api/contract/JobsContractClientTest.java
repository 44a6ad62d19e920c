package dev.reelroute.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import contractclient.jobs.ApiClient;
import contractclient.jobs.api.DefaultApi;
import contractclient.jobs.auth.ApiKeyAuth;
import contractclient.jobs.model.JobCreated;
import contractclient.jobs.model.JobListItem;
import contractclient.jobs.model.JobStatus;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.TestMedia;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestTemplate;

/**
 * The jobs API's main flow through a client no one here wrote: openapi-generator builds it from
 * {@code openapi/jobs.yaml} (pom.xml, generate-test-sources), and it submits an image and a voiceover, reads the
 * status until the job is COMPLETED and downloads the video. Each answer is read into the contract's models, so a
 * field, type or enum the contract does not have fails here. The other surfaces follow this pattern.
 */
class JobsContractClientTest extends ServiceTest {
    @TempDir
    static Path media;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
    }

    @Test
    void anImageAndAVoiceoverBecomeAVideoThroughTheGeneratedClient() throws Exception {
        var account = accounts.createAccount("contract-client", null, 1);
        String apiKey = accounts.createKey(account.account().id(), "contract-client", null).apiKey();
        ApiClient client = new ApiClient(strictRestTemplate()).setBasePath("http://127.0.0.1:" + port);
        ((ApiKeyAuth) client.getAuthentication("ApiKey")).setApiKey(apiKey);
        DefaultApi jobs = new DefaultApi(client);

        JobCreated created = jobs.jobIngest(TestMedia.png(media, 320, 180).toFile(),
                TestMedia.wav(media, 1.0).toFile(), null, null, null);
        assertThat(created.getMessage().getValue()).isEqualTo("Job created");
        String jobId = created.getJobId();

        EnumSet<JobStatus.StatusEnum> ended = EnumSet.of(JobStatus.StatusEnum.COMPLETED, JobStatus.StatusEnum.FAILED,
                JobStatus.StatusEnum.CANCELLED);
        JobStatus status = await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> jobs.jobStatus(jobId, null), read -> ended.contains(read.getStatus()));
        assertThat(status.getStatus()).as(status.toString()).isEqualTo(JobStatus.StatusEnum.COMPLETED);
        assertThat(status.getProgress()).isEqualTo(100);
        assertThat(status.getErrorMessage()).isNull();
        assertThat(jobs.listJobs(null, null, null).getJobs()).extracting(JobListItem::getId).contains(jobId);

        // the signed link is no operation of the contract: it is followed as it is given
        var download = api.getAbsolute(status.getOutputVideo(), null);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.header("Content-Type")).isEqualTo("video/mp4");
        assertThat(new String(Arrays.copyOfRange(download.bytes(), 4, 8), StandardCharsets.US_ASCII)).isEqualTo("ftyp");

        // a refusal is the contract's error body
        HttpClientErrorException notFound = catchThrowableOfType(
                () -> jobs.jobStatus("no-such-job", null), HttpClientErrorException.NotFound.class);
        var error = new ObjectMapper().readValue(notFound.getResponseBodyAsByteArray(),
                contractclient.jobs.model.Error.class);
        assertThat(error.getError()).isEqualTo("Job not found");
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
