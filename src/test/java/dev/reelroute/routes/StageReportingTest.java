package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.config.Ids;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobLogLine;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.NewJob;
import dev.reelroute.support.LocalReceiversServiceTest;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The reporting kamelets as the route files use them (one YAML step with parameters): each report publishes one
 * event on reelroute.job-events with what the step names, and records it on the job.
 */
class StageReportingTest extends LocalReceiversServiceTest {
    private static final String TRICKY_MESSAGE = "Grading 'warm', then \"cool\": 50% + less = (a, b) ?#";
    private static final String ROUTES = """
            - route:
                id: report-stage-under-test
                from:
                  uri: direct:report-stage-under-test
                  steps:
                    - to:
                        id: report-grading
                        uri: kamelet:report-stage
                        parameters:
                          stage: grading
                          percent: "${exchangeProperty.percent}"
                          message: %s
            - route:
                id: report-raw-stage-under-test
                from:
                  uri: direct:report-raw-stage-under-test
                  steps:
                    - to:
                        id: report-raw-message
                        uri: kamelet:report-stage
                        parameters:
                          stage: grading
                          percent: 43
                          message: "RAW(Warm & cool)"
            - route:
                id: report-status-under-test
                from:
                  uri: direct:report-status-under-test
                  steps:
                    - to:
                        id: report-cancelled
                        uri: kamelet:report-status
                        parameters:
                          jobId: "${header.jobId}"
            """.formatted(new ObjectMapper().valueToTree(TRICKY_MESSAGE).toString());

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    JobStore jobs;
    @Autowired
    ConnectionFactory connectionFactory;

    private final ObjectMapper json = new ObjectMapper();
    private final List<Message> events = Collections.synchronizedList(new ArrayList<>());
    private Connection connection;
    private String accountId;
    private String jobId;

    @BeforeEach
    void aClaimedJobAndASubscriber() throws Exception {
        // once per shared context: the routes under test start from direct: endpoints only this class sends to
        if (camel.getRoute("report-stage-under-test") == null) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("under-test.camel.yaml", ROUTES));
        }
        var account = newAccount("reports");
        accountId = account.accountId();
        jobId = Ids.newId();
        jobs.insertPending(new NewJob(jobId, accountId, account.keyId(), Job.KIND_IMAGE_AUDIO, null, "in/image.png",
                "in/audio.wav", 6000, Ids.randomToken(24)), 1);
        assertThat(claimAs(jobId, "stage-reporting-test", Duration.ofMinutes(5)).claimed()).isTrue();

        connection = connectionFactory.createConnection();
        Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        session.createConsumer(session.createTopic("reelroute.job-events"), "jobId = '" + jobId + "'")
                .setMessageListener(events::add);
        connection.start();
    }

    @AfterEach
    void closeSubscriber() throws Exception {
        connection.close();
    }

    @Test
    void aStageReportPublishesOneEventWithItsStagePercentAndMessageAsWritten() throws Exception {
        producer.send("direct:report-stage-under-test", exchange -> {
            exchange.setProperty("jobId", jobId);
            exchange.setProperty("percent", 42);
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> events.size() == 1);
        Message published = events.get(0);
        assertThat(published.getStringProperty("accountId")).isEqualTo(accountId);
        assertThat(published.getStringProperty("eventType")).isEqualTo("stage");
        JsonNode event = json.readTree(published.getBody(byte[].class));
        assertThat(event.get("type").asText()).isEqualTo("stage");
        assertThat(event.get("stage").asText()).isEqualTo("grading");
        assertThat(event.get("progress").asInt()).isEqualTo(42);
        assertThat(event.get("message").asText()).isEqualTo(TRICKY_MESSAGE);
        assertThat(event.get("status").asText()).isEqualTo("PROCESSING");

        Job job = jobs.find(jobId).orElseThrow();
        assertThat(job.progress()).isEqualTo(42);
        assertThat(job.stage()).isEqualTo("grading");
        assertThat(jobs.logs(jobId)).extracting(JobLogLine::message).contains(TRICKY_MESSAGE);
    }

    @Test
    void aMessageWithAnAmpersandIsWrittenRaw() throws Exception {
        producer.send("direct:report-raw-stage-under-test", exchange -> exchange.setProperty("jobId", jobId));

        await().atMost(Duration.ofSeconds(30)).until(() -> events.size() == 1);
        JsonNode event = json.readTree(events.get(0).getBody(byte[].class));
        assertThat(event.get("progress").asInt()).isEqualTo(43);
        assertThat(event.get("message").asText()).isEqualTo("Warm & cool");
    }

    @Test
    void aStatusReportPublishesTheJobsCurrentState() throws Exception {
        assertThat(jobs.cancel(jobId, accountId)).isPresent();
        producer.sendBodyAndHeaders("direct:report-status-under-test", null, Map.of("jobId", jobId));

        await().atMost(Duration.ofSeconds(30)).until(() -> events.size() == 1);
        JsonNode event = json.readTree(events.get(0).getBody(byte[].class));
        assertThat(event.get("type").asText()).isEqualTo("cancelled");
        assertThat(event.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(event.get("jobId").asText()).isEqualTo(jobId);
    }
}
