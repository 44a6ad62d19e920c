package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.JobStore;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.JmsProducerProcess;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.Tokens;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The embedded broker's TCP acceptor, as an enterprise producer in another process reaches it: it must log in, it
 * reaches only the producer's addresses, and the documented request/reply and events (docs/jms.md) work from a separate JVM.
 * The acceptor is on a free port, so parallel test runs never meet on 61616.
 */
class JmsOverTcpTest extends ServiceTest {
    private static final int BROKER_PORT = freePort();
    private static final String PASSWORD = "tcp-test-" + UUID.randomUUID();
    private static final String BROKER_URL = "tcp://127.0.0.1:" + BROKER_PORT;

    @Autowired
    JobStore jobs;
    @Autowired
    CamelContext camel;
    @Autowired
    ConnectionFactory serviceConnections;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        embeddedDefaults(registry);
        registry.add("reelroute.broker.tcp-enabled", () -> "true");
        registry.add("reelroute.broker.tcp-port", () -> BROKER_PORT);
        registry.add("reelroute.broker.user", () -> "producer");
        registry.add("reelroute.broker.password", () -> PASSWORD);
    }

    @Test
    void aProducerInAnotherProcessSubmitsOverTcpGetsTheReplyAndFollowsTheJobToItsEnd() throws Exception {
        AccountStore.CreatedKey account = newAccount("jms-tcp-" + System.nanoTime());
        Tokens.topUp(camel, account.accountId(), 50);
        String request = "{\"kind\":\"video-job\",\"prompt\":\"A slow zoom in on a lighthouse at dusk\","
                + "\"model\":\"veo-3.1-fast-generate-preview\",\"resolution\":\"720p\",\"aspectRatio\":\"16:9\","
                + "\"durationSeconds\":4,\"mockMode\":true}";

        JmsProducerProcess.Outcome child = JmsProducerProcess.run(BROKER_URL, "producer", PASSWORD,
                account.apiKey(), account.accountId(), request);

        assertThat(child.exitCode()).as(child.output()).isZero();
        JsonNode answer = child.reply();
        assertThat(answer.path("status").asText()).as(answer.toString()).isEqualTo("PENDING");
        String jobId = answer.path("jobId").asText();
        assertThat(child.eventTypes()).first().isEqualTo("created");
        assertThat(child.eventTypes()).contains("stage").last().isEqualTo("completed");
        assertThat(child.output()).doesNotContain(account.apiKey());

        Job job = jobs.find(jobId).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(job.kind()).isEqualTo(Job.KIND_VIDEO_JOB);
        assertThat(job.apiKeyId()).isEqualTo(account.keyId());
    }

    @Test
    void aProducerWithTheWrongPasswordIsTurnedAwayInTheOtherProcessToo() throws Exception {
        AccountStore.CreatedKey account = newAccount("jms-tcp-refused-" + System.nanoTime());
        JmsProducerProcess.Outcome child = JmsProducerProcess.run(BROKER_URL, "producer", "not-the-password",
                account.apiKey(), account.accountId(), "{\"kind\":\"generate\"}");
        assertThat(child.exitCode()).isNotZero();
        assertThat(child.output()).contains("AMQ229031").doesNotContain("REPLY");
    }

    @Test
    void tcpClientsMustLogIn() {
        assertThatThrownBy(() -> connect("producer", "wrong").close()).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect("reelroute", PASSWORD).close()).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect(null, null).close()).as("anonymous").isInstanceOf(JMSSecurityException.class);
    }

    @Test
    void aProducerReachesTheSubmitQueueTheEventsAndItsReplyQueueAndNothingElse() throws Exception {
        try (Connection connection = connect("producer", PASSWORD)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String queue : List.of("reelroute.jobs", "reelroute.project-runs", "reelroute.webhooks",
                    "reelroute.jobs.submit.dlq", "DLQ")) {
                assertThatThrownBy(() -> session.createProducer(session.createQueue(queue))
                        .send(session.createTextMessage("job-id")))
                        .as("send to %s", queue).isInstanceOf(JMSSecurityException.class);
                assertThatThrownBy(() -> session.createConsumer(session.createQueue(queue)))
                        .as("read %s", queue).isInstanceOf(JMSSecurityException.class);
            }
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("reelroute.jobs.submit")))
                    .as("only the service reads submissions").isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createBrowser(session.createQueue("reelroute.jobs.submit.dlq"))
                    .getEnumeration().hasMoreElements())
                    .as("other accounts' refused requests").isInstanceOf(JMSException.class);
            assertThatThrownBy(() -> session.createProducer(session.createTopic("reelroute.job-events"))
                    .send(session.createTextMessage("{}")))
                    .as("only the service publishes events").isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("new.queue." + UUID.randomUUID())))
                    .as("no queues of its own beyond temporary ones").isInstanceOf(JMSException.class);

            // its own temporary reply queue: made by it, written to by the service (in-VM), read by it
            TemporaryQueue replies = session.createTemporaryQueue();
            connection.start();
            try (MessageConsumer consumer = session.createConsumer(replies);
                 Connection service = serviceConnections.createConnection()) {
                Session serviceSession = service.createSession(false, Session.AUTO_ACKNOWLEDGE);
                serviceSession.createProducer(replies).send(serviceSession.createTextMessage("your answer"));
                assertThat(((TextMessage) consumer.receive(10_000)).getText()).isEqualTo("your answer");
            }
        }
    }

    private static Connection connect(String user, String password) throws JMSException {
        return new ActiveMQConnectionFactory(BROKER_URL).createConnection(user, password);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
