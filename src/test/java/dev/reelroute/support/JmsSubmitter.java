package dev.reelroute.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import jakarta.jms.TextMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A producer as an enterprise system would write it, in plain Jakarta JMS: requests on reelroute.jobs.submit with
 * the apiKey property and a temporary reply queue, and subscriptions to reelroute.job-events by selector.
 */
public final class JmsSubmitter implements AutoCloseable {
    public static final String SUBMIT_QUEUE = "reelroute.jobs.submit";
    public static final String DEAD_LETTER_QUEUE = "reelroute.jobs.submit.dlq";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Session session;
    private final TemporaryQueue replies;
    private final MessageConsumer replyConsumer;

    public JmsSubmitter(ConnectionFactory connectionFactory) throws JMSException {
        connection = connectionFactory.createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        replies = session.createTemporaryQueue();
        replyConsumer = session.createConsumer(replies);
        connection.start();
    }

    public Session session() {
        return session;
    }

    public TemporaryQueue replyQueue() {
        return replies;
    }

    /**
     * Sends {@code body} as a TextMessage with the key (none when null) and the correlation id (none when null);
     * returns the message as sent, with its JMSMessageID.
     */
    public TextMessage send(String body, String apiKey, String correlationId) throws JMSException {
        TextMessage request = session.createTextMessage(body);
        if (apiKey != null) {
            request.setStringProperty("apiKey", apiKey);
        }
        if (correlationId != null) {
            request.setJMSCorrelationID(correlationId);
        }
        request.setJMSReplyTo(replies);
        send(request);
        return request;
    }

    public void send(Message request) throws JMSException {
        try (var producer = session.createProducer(session.createQueue(SUBMIT_QUEUE))) {
            producer.send(request);
        }
    }

    /** The next reply, or null after {@code millis}. */
    public TextMessage reply(long millis) throws JMSException {
        return (TextMessage) replyConsumer.receive(millis);
    }

    public static JsonNode json(TextMessage message) throws Exception {
        return JSON.readTree(message.getText());
    }

    /**
     * Collects the events on reelroute.job-events that {@code selector} picks, from now on (in a session of its own:
     * a session that delivers to a listener is not for receive calls).
     */
    public List<Message> subscribe(String selector) throws JMSException {
        List<Message> received = Collections.synchronizedList(new ArrayList<>());
        Session listening = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        listening.createConsumer(listening.createTopic("reelroute.job-events"), selector).setMessageListener(received::add);
        return received;
    }

    /** Takes the dead-letter copy of the request with this correlation id off the DLQ, or null after {@code millis}. */
    public Message deadLetter(String correlationId, long millis) throws JMSException {
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(DEAD_LETTER_QUEUE),
                "JMSCorrelationID = '" + correlationId + "'")) {
            return consumer.receive(millis);
        }
    }

    /** How many messages wait on {@code queue}. */
    public int waiting(String queue) throws JMSException {
        try (var browser = session.createBrowser(session.createQueue(queue))) {
            return Collections.list(browser.getEnumeration()).size();
        }
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
