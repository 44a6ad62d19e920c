package dev.reelroute.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * {@code reelroute_queue_depth{queue}}: messages waiting on the service's queues (scheduled webhook retries and
 * messages being delivered included), read from the embedded broker's own queue objects, which costs nothing.
 * With an external broker (the {@code artemis} profile) there is no embedded broker to ask and the service's user
 * may not browse the queues, so no series is registered: the broker's own console and metrics report them.
 */
@Component
public class QueueDepthGauges implements MeterBinder {
    private final ObjectProvider<EmbeddedActiveMQ> embedded;
    private final List<String> queues;
    private final boolean embeddedBroker;

    public QueueDepthGauges(ObjectProvider<EmbeddedActiveMQ> embedded,
                            @Value("${reelroute.metrics.queues}") List<String> queues,
                            @Value("${spring.artemis.mode:embedded}") String mode,
                            @Value("${spring.artemis.embedded.enabled:true}") boolean embeddedEnabled) {
        this.embedded = embedded;
        this.queues = queues.stream().map(String::strip).filter(q -> !q.isEmpty()).toList();
        this.embeddedBroker = "embedded".equalsIgnoreCase(mode.strip()) && embeddedEnabled;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        // decided by the settings, not by looking the broker up: binders run while the context is still starting
        if (!embeddedBroker) {
            return;
        }
        for (String queue : queues) {
            Gauge.builder("reelroute.queue.depth", this, gauges -> gauges.depth(queue))
                    .description("Messages on an embedded Artemis queue (waiting, scheduled and in delivery)")
                    .tag("queue", queue)
                    .register(registry);
        }
    }

    private double depth(String name) {
        EmbeddedActiveMQ broker = embedded.getIfAvailable();
        ActiveMQServer server = broker == null ? null : broker.getActiveMQServer();
        if (server == null || !server.isActive()) {
            return Double.NaN;
        }
        Queue queue = server.locateQueue(name);
        return queue == null ? Double.NaN : queue.getMessageCount();
    }
}
