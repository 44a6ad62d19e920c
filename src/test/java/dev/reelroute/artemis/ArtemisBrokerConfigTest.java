package dev.reelroute.artemis;

import static dev.reelroute.support.ExternalArtemis.APP_PASSWORD;
import static dev.reelroute.support.ExternalArtemis.APP_USER;
import static dev.reelroute.support.ExternalArtemis.PRODUCER_PASSWORD;
import static dev.reelroute.support.ExternalArtemis.PRODUCER_USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reelroute.support.ExternalArtemis;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * artemis/broker.xml and its security files, on a real broker over TCP with plain JMS clients: who may log in, who
 * may do what on which address, and where a job that keeps failing ends up.
 */
class ArtemisBrokerConfigTest {
    @RegisterExtension
    static final ExternalArtemis artemis = new ExternalArtemis();

    private Connection connect(String user, String password) throws JMSException {
        return new ActiveMQConnectionFactory(artemis.url()).createConnection(user, password);
    }

    @Test
    void onlyKnownUsersWithTheirPasswordLogIn() throws Exception {
        assertThatThrownBy(() -> connect(APP_USER, "not-the-password").close())
                .isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect("nobody", APP_PASSWORD).close()).isInstanceOf(JMSSecurityException.class);
        assertThatThrownBy(() -> connect(null, null).close()).as("anonymous").isInstanceOf(JMSSecurityException.class);
        try (Connection connection = connect(APP_USER, APP_PASSWORD)) {
            assertThat(connection.getMetaData().getJMSProviderName()).contains("ActiveMQ");
        }
    }

    @Test
    void theServiceUsesTheConfiguredAddressesAndCannotCreateOthers() throws Exception {
        try (Connection connection = connect(APP_USER, APP_PASSWORD)) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String queue : List.of("reelroute.jobs", "reelroute.project-runs", "reelroute.jobs.submit",
                    "reelroute.webhooks", "reelroute.webhooks.dlq")) {
                session.createProducer(session.createQueue(queue)).send(session.createTextMessage("probe"));
            }
            // a misspelt queue is refused, not created
            assertThatThrownBy(() -> session.createProducer(session.createQueue("reelroute.job"))
                    .send(session.createTextMessage("lost")))
                    .isInstanceOf(JMSException.class).hasMessageContaining("no queue with name reelroute.job");
            // and the service may not create queues of its own, even temporary ones (producers make the reply queues)
            assertThatThrownBy(session::createTemporaryQueue).isInstanceOf(JMSSecurityException.class);
            // leave the queues as they were for the other tests
            connection.start();
            for (String queue : List.of("reelroute.jobs", "reelroute.project-runs", "reelroute.jobs.submit",
                    "reelroute.webhooks", "reelroute.webhooks.dlq")) {
                try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
                    assertThat(((TextMessage) consumer.receive(5000)).getText()).as(queue).isEqualTo("probe");
                }
            }
        }
    }

    @Test
    void anEnterpriseProducerSubmitsAndSubscribesButCannotReachTheServiceQueues() throws Exception {
        try (Connection producer = connect(PRODUCER_USER, PRODUCER_PASSWORD);
             Connection service = connect(APP_USER, APP_PASSWORD)) {
            Session session = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(session.createQueue("reelroute.jobs.submit"))
                    .send(session.createTextMessage("{\"kind\":\"prompt\"}"));
            assertThatThrownBy(() -> session.createProducer(session.createQueue("reelroute.jobs"))
                    .send(session.createTextMessage("job-id")))
                    .as("only the service enqueues jobs").isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("reelroute.jobs.submit")))
                    .as("only the service reads submissions").isInstanceOf(JMSSecurityException.class);
            assertThatThrownBy(() -> session.createProducer(session.createTopic("reelroute.job-events"))
                    .send(session.createTextMessage("{}")))
                    .as("only the service publishes events").isInstanceOf(JMSSecurityException.class);

            // events for the producer's own account only, by selector
            List<Message> received = new ArrayList<>();
            try (MessageConsumer events = session.createConsumer(session.createTopic("reelroute.job-events"),
                    "accountId = 'acc-1'")) {
                producer.start();
                Session publishing = service.createSession(false, Session.AUTO_ACKNOWLEDGE);
                var publisher = publishing.createProducer(publishing.createTopic("reelroute.job-events"));
                for (String account : List.of("acc-2", "acc-1")) {
                    TextMessage event = publishing.createTextMessage("{\"accountId\":\"" + account + "\"}");
                    event.setStringProperty("accountId", account);
                    publisher.send(event);
                }
                for (Message message = events.receive(5000); message != null; message = events.receive(500)) {
                    received.add(message);
                }
            }
            assertThat(received).extracting(m -> m.getStringProperty("accountId")).containsExactly("acc-1");

            // the submission is there for the service
            service.start();
            Session reading = service.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (MessageConsumer submissions = reading.createConsumer(reading.createQueue("reelroute.jobs.submit"))) {
                assertThat(((TextMessage) submissions.receive(5000)).getText()).isEqualTo("{\"kind\":\"prompt\"}");
            }
        }
    }

    @Test
    void aProducerGetsItsAnswerOnATemporaryQueueThatOnlyTheServiceMayWriteTo() throws Exception {
        try (Connection producer = connect(PRODUCER_USER, PRODUCER_PASSWORD);
             Connection service = connect(APP_USER, APP_PASSWORD)) {
            Session session = producer.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            producer.start();

            // the service answers on the request's JMSReplyTo
            Session answering = service.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage answer = answering.createTextMessage("{\"jobId\":\"j1\",\"status\":\"PENDING\"}");
            answer.setJMSCorrelationID("order-1");
            answering.createProducer(replies).send(answer);
            try (MessageConsumer consumer = session.createConsumer(replies)) {
                Message received = consumer.receive(5000);
                assertThat(received).isNotNull();
                assertThat(received.getJMSCorrelationID()).isEqualTo("order-1");
            }

            // a producer may not write to a reply queue, nor read what belongs to the broker
            assertThatThrownBy(() -> session.createProducer(replies).send(session.createTextMessage("forged")))
                    .as("only the service answers").isInstanceOf(JMSSecurityException.class);
            for (String queue : List.of("DLQ", "ExpiryQueue", "reelroute.jobs.submit.dlq", "reelroute.expired")) {
                assertThatThrownBy(() -> session.createConsumer(session.createQueue(queue)))
                        .as("read %s", queue).isInstanceOf(JMSSecurityException.class);
            }
            // nor make a queue that outlives it
            assertThatThrownBy(() -> session.createConsumer(session.createQueue("producer.inbox")))
                    .as("durable queues are an administrator's").isInstanceOf(JMSException.class);
        }
    }

    @Test
    void aJobMessageRolledBackThreeTimesIsParkedOnTheJobsDeadLetterQueue() throws Exception {
        try (Connection connection = connect(APP_USER, APP_PASSWORD)) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            session.createProducer(session.createQueue("reelroute.jobs")).send(session.createTextMessage("job-42"));
            session.commit();

            List<Integer> deliveryCounts = new ArrayList<>();
            List<Long> receivedAt = new ArrayList<>();
            try (MessageConsumer jobs = session.createConsumer(session.createQueue("reelroute.jobs"))) {
                for (int attempt = 1; attempt <= 3; attempt++) {
                    Message delivery = jobs.receive(15_000);
                    assertThat(delivery).as("delivery %d", attempt).isNotNull();
                    deliveryCounts.add(delivery.getIntProperty("JMSXDeliveryCount"));
                    receivedAt.add(System.nanoTime());
                    session.rollback(); // as a worker that died mid-job
                }

                try (MessageConsumer parked = session.createConsumer(session.createQueue("reelroute.jobs.dlq"))) {
                    Message message = parked.receive(5000);
                    assertThat(message).as("parked after the third attempt").isNotNull();
                    assertThat(((TextMessage) message).getText()).isEqualTo("job-42");
                    assertThat(message.getStringProperty("_AMQ_ORIG_ADDRESS")).isEqualTo("reelroute.jobs");
                    session.commit();
                }
            }
            assertThat(deliveryCounts).containsExactly(1, 2, 3);
            // redelivered after 2 s, then 6 s (redelivery-delay 2000, multiplier 3)
            assertThat(receivedAt.get(1) - receivedAt.get(0)).isGreaterThanOrEqualTo(1_900_000_000L);
            assertThat(receivedAt.get(2) - receivedAt.get(1)).isGreaterThanOrEqualTo(5_900_000_000L);
        }
    }
}
