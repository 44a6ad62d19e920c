package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Message;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * job-ingest (POST /api/jobs) and job-enqueue, with the hand-off to {@code reelroute.jobs} ({@code enqueue-job}) a
 * mock: a valid upload is stored, PENDING, reported created and only its id goes to the queue; a refused upload
 * makes nothing; a broker that refuses the hand-off gets the caller a 503 and leaves no job and no input behind.
 */
class JobIngestRouteTest extends StageRouteTest {
    private static final String QUEUE_UNAVAILABLE = "The job queue is unavailable; retry with exponential backoff";

    private AccountStore.CreatedKey account;
    private Path image;
    private Path audio;

    @BeforeEach
    void accountAndInputs() throws Exception {
        account = newAccount("job-ingest-" + System.nanoTime());
        Path media = Files.createTempDirectory(dataDir, "uploads-");
        image = TestMedia.png(media, 320, 240);
        audio = TestMedia.wav(media, 1.0);
    }

    private ApiClient.Response upload() throws Exception {
        return api.submit(account.apiKey(), image, "image/png", audio, "audio/wav", null);
    }

    private int accountJobs() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM jobs WHERE account_id = ?", Integer.class,
                account.accountId());
    }

    @Test
    void aValidUploadIsStoredPendingReportedCreatedAndOnlyItsIdIsQueued() throws Exception {
        NotifyBuilder created = new NotifyBuilder(camel).wereSentTo(JOB_EVENTS)
                .whenAnyDoneMatches(exchange -> "created".equals(exchange.getMessage().getHeader("eventType"))
                        && account.accountId().equals(exchange.getMessage().getHeader("accountId")))
                .create();

        ApiClient.Response answer = upload();

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().get("message").asText()).isEqualTo("Job created");
        String jobId = answer.json().get("jobId").asText();
        Job job = jobStore.find(jobId).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.PENDING);
        assertThat(job.kind()).isEqualTo(Job.KIND_IMAGE_AUDIO);
        assertThat(job.storedInputKeys()).hasSize(2)
                .allSatisfy(key -> assertThat(storage.open(key)).as("stored " + key).isPresent());

        MockEndpoint queue = mock(JOB_QUEUE);
        queue.expectedBodiesReceived(jobId);
        queue.assertIsSatisfied();
        Message handedOff = queue.getReceivedExchanges().get(0).getMessage();
        assertThat(handedOff.getHeaders()).as("nothing of the HTTP request travels with the id, its key included")
                .doesNotContainKeys("X-API-Key", "Authorization", "Content-Type", "CamelHttpUri");
        assertThat(created.matches(10, TimeUnit.SECONDS)).as("report-job-created published").isTrue();
    }

    @Test
    void anUploadWithoutItsAudioIsRefusedAndMakesNothing() throws Exception {
        ApiClient.Response answer = api.postMultipart("/api/jobs", account.apiKey(),
                List.of(ApiClient.Part.file("image", image, "image/png")));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("Missing required file field 'audio'");
        assertThat(accountJobs()).isZero();
        assertThat(mock(JOB_QUEUE).getReceivedCounter()).isZero();
    }

    @Test
    void anUploadThatIsNotAnImageIsRefusedUnsupportedAndMakesNothing() throws Exception {
        Path notAnImage = Files.writeString(Files.createTempFile(dataDir, "page-", ".png"),
                "<html>not an image</html>");

        ApiClient.Response answer = api.submit(account.apiKey(), notAnImage, "image/png", audio, "audio/wav", null);

        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.json().get("error").asText())
                .isEqualTo("Unsupported image type: accepts image/jpeg, image/png, image/webp");
        assertThat(accountJobs()).isZero();
        assertThat(mock(JOB_QUEUE).getReceivedCounter()).isZero();
    }

    @Test
    void theBrokerRefusingTheHandOffAnswers503AndLeavesNoJobAndNoInputBehind() throws Exception {
        mock(JOB_QUEUE).whenAnyExchangeReceived(exchange -> {
            throw new IllegalStateException("AMQ219010: Connection is destroyed");
        });

        ApiClient.Response answer = upload();

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().get("error").asText()).isEqualTo(QUEUE_UNAVAILABLE);
        assertThat(answer.body()).doesNotContain("AMQ219010");
        String jobId = mock(JOB_QUEUE).getReceivedExchanges().get(0).getMessage().getBody(String.class);
        assertThat(jobStore.find(jobId)).as("the job the caller never got an id for").isEmpty();
        assertThat(accountJobs()).isZero();
        assertThat(List.of("jobs/" + jobId + "/input-image.png", "jobs/" + jobId + "/input-audio.wav"))
                .allSatisfy(key -> assertThat(storage.open(key)).as("deleted " + key).isEmpty());
    }
}
