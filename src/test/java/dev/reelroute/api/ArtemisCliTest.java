package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.JobStore;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ArtemisCli;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.Tokens;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.postoffice.Binding;
import org.apache.activemq.artemis.core.postoffice.Bindings;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The documented Artemis CLI lines (docs/jms.md, "Submitting jobs over JMS"), read from the page and run as written with the
 * Artemis CLI in JVMs of their own, against the embedded broker's TCP acceptor as `mvn spring-boot:run` opens it
 * with a producer password: the consumer waits for the end of the account's next job, the producer submits a video
 * job, the job completes and the consumer ends, having saved the completed event.
 */
class ArtemisCliTest extends ServiceTest {
    private static final int BROKER_PORT = freePort();
    private static final String PASSWORD = "cli-test-" + UUID.randomUUID();
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);

    @Autowired
    JobStore jobs;
    @Autowired
    CamelContext camel;
    @Autowired
    EmbeddedActiveMQ broker;
    @TempDir
    Path logs;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.broker.tcp-enabled", () -> "true");
        registry.add("reelroute.broker.tcp-port", () -> BROKER_PORT);
        registry.add("reelroute.broker.password", () -> PASSWORD);
    }

    @Test
    void theReadmesConsumerAndProducerLinesSubmitAVideoJobAndSaveTheEventThatEndsIt() throws Exception {
        AccountStore.CreatedKey account = newAccount("artemis-cli-" + System.nanoTime());
        Tokens.topUp(camel, account.accountId(), 50);
        Map<String, String> environment = Map.of(
                "BROKER_URL", "tcp://localhost:" + BROKER_PORT,
                "BROKER_USER", "producer",
                "BROKER_PASSWORD", PASSWORD,
                "ACCOUNT_ID", account.accountId(),
                "REELROUTE_API_KEY", account.apiKey());
        ArtemisCli.Command consumer = ArtemisCli.fromDocs("consumer", environment);
        ArtemisCli.Command producer = ArtemisCli.fromDocs("producer", environment);
        assertThat(consumer.background()).as("the docs start the consumer first, in the background").isTrue();
        assertThat(producer.background()).isFalse();

        Path consumerLog = logs.resolve("consumer.log");
        Process consuming = ArtemisCli.start(consumer, logs, consumerLog);
        try {
            // a non-durable subscription sees only what is published after it exists
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .failFast("the consumer ended: " + consumerLog, () -> !consuming.isAlive())
                    .until(() -> eventSubscriptionFilters().stream().anyMatch(f -> f.contains(account.accountId())));

            Path producerLog = logs.resolve("producer.log");
            Process producing = ArtemisCli.start(producer, logs, producerLog);
            try {
                assertThat(producing.waitFor(2, TimeUnit.MINUTES)).as("the producer ends").isTrue();
            } finally {
                producing.destroyForcibly();
            }
            String produced = Files.readString(producerLog);
            assertThat(producing.exitValue()).as(produced).isZero();
            assertThat(produced).as(produced).contains("Produced: 1 messages").doesNotContain(account.apiKey());

            Job job = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> jobs.recentForAccount(account.accountId(), 2), created -> !created.isEmpty()).get(0);
            assertThat(jobs.recentForAccount(account.accountId(), 2)).as("one message, one job").hasSize(1);
            assertThat(job.kind()).isEqualTo(Job.KIND_VIDEO_JOB);
            assertThat(job.apiKeyId()).isEqualTo(account.keyId());
            await().atMost(JOB_TIMEOUT).pollInterval(Duration.ofMillis(250))
                    .until(() -> jobs.find(job.id()).orElseThrow().status(), JobStatus::isTerminal);
            assertThat(jobs.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.COMPLETED);
            JsonNode status = api.get("/api/v1/video-jobs/" + job.id(), account.apiKey()).json();
            assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("SUCCEEDED");

            // docs: `wait` for the consumer, then read the file it wrote
            assertThat(consuming.waitFor(60, TimeUnit.SECONDS)).as("the consumer ends with the job").isTrue();
            String consumed = Files.readString(consumerLog);
            assertThat(consuming.exitValue()).as(consumed).isZero();
            assertThat(consumed).contains("Consumed: 1 messages").doesNotContain(PASSWORD);
            Map<String, String> properties = new HashMap<>();
            JsonNode event = readSavedEvent(logs.resolve("job-end.xml"), properties);
            assertThat(properties).containsEntry("eventType", "completed").containsEntry("jobId", job.id())
                    .containsEntry("accountId", account.accountId()).containsEntry("status", "COMPLETED")
                    .containsEntry("kind", Job.KIND_VIDEO_JOB);
            assertThat(event.path("type").asText()).as(event.toString()).isEqualTo("completed");
            assertThat(event.path("jobId").asText()).isEqualTo(job.id());
        } finally {
            consuming.destroy();
            consuming.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The one message of the CLI's {@code --data} file (its XML export): its properties into {@code properties}, its
     * body (base64 for a bytes message) as JSON.
     */
    private static JsonNode readSavedEvent(Path file, Map<String, String> properties) throws Exception {
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        NodeList messages = xml.getElementsByTagName("message");
        assertThat(messages.getLength()).as(Files.readString(file)).isEqualTo(1);
        Element message = (Element) messages.item(0);
        assertThat(message.getAttribute("type")).isEqualTo("bytes");
        NodeList props = message.getElementsByTagName("property");
        for (int i = 0; i < props.getLength(); i++) {
            Element property = (Element) props.item(i);
            properties.put(property.getAttribute("name"), property.getAttribute("value"));
        }
        String body = message.getElementsByTagName("body").item(0).getTextContent().strip();
        return new ObjectMapper().readTree(Base64.getDecoder().decode(body));
    }

    /** The filters of the subscriptions on the events topic. */
    private List<String> eventSubscriptionFilters() throws Exception {
        Bindings bindings = broker.getActiveMQServer().getPostOffice()
                .getBindingsForAddress(SimpleString.of("reelroute.job-events"));
        return bindings.getBindings().stream().map(Binding::getFilter)
                .filter(Objects::nonNull).map(f -> f.getFilterString().toString()).toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
