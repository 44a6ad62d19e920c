package dev.reelroute.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * An enterprise producer in a process of its own, written as the Jakarta JMS example of docs/jms.md: it logs in over
 * TCP, subscribes to its account's events, sends one request with a temporary reply queue, prints the answer
 * ({@code REPLY <json>}) and then each event of the answered job ({@code EVENT <type> <json>}) until the job ends.
 * Exit status: 0 once a terminal event came, 1 when the answer was an error, 2 when something timed out.
 *
 * <p>Arguments: broker URL, user, password, API key, account id, request JSON, seconds to wait for each message.
 */
public final class JmsProducerMain {
    static final String CORRELATION_ID = "child-process-order";
    private static final List<String> TERMINAL = List.of("completed", "failed", "cancelled");

    private JmsProducerMain() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        String apiKey = args[3];
        String accountId = args[4];
        String requestJson = args[5];
        long waitMillis = Long.parseLong(args[6]) * 1000;
        System.exit(run(url, user, password, apiKey, accountId, requestJson, waitMillis));
    }

    private static int run(String url, String user, String password, String apiKey, String accountId,
                           String requestJson, long waitMillis) throws Exception {
        var factory = new ActiveMQConnectionFactory(url, user, password);
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TemporaryQueue replies = session.createTemporaryQueue();
            // subscribed before sending: the created event goes out before the answer
            MessageConsumer events = session.createConsumer(session.createTopic("reelroute.job-events"),
                    "accountId = '" + accountId + "'");
            connection.start();
            TextMessage request = session.createTextMessage(requestJson);
            request.setStringProperty("apiKey", apiKey);
            request.setJMSReplyTo(replies);
            request.setJMSCorrelationID(CORRELATION_ID);
            session.createProducer(session.createQueue("reelroute.jobs.submit")).send(request);

            TextMessage reply = (TextMessage) session.createConsumer(replies).receive(waitMillis);
            if (reply == null) {
                System.out.println("TIMEOUT reply");
                return 2;
            }
            System.out.println("REPLY " + reply.getJMSCorrelationID() + " " + reply.getText());
            JsonNode answer = new ObjectMapper().readTree(reply.getText());
            if (answer.has("error")) {
                return 1;
            }
            String jobId = answer.path("jobId").asText();
            for (Message event; (event = events.receive(waitMillis)) != null; ) {
                if (!jobId.equals(event.getStringProperty("jobId"))) {
                    continue;
                }
                String type = event.getStringProperty("eventType");
                System.out.println("EVENT " + type + " " + new String(event.getBody(byte[].class),
                        StandardCharsets.UTF_8));
                if (TERMINAL.contains(type)) {
                    return 0;
                }
            }
            System.out.println("TIMEOUT events");
            return 2;
        }
    }
}
