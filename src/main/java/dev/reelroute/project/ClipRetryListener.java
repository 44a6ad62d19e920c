package dev.reelroute.project;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/** Runs before each redelivery of a failed clip: records the new attempt and a log line on the run. */
@Component("clipRetryListener")
public class ClipRetryListener implements Processor {
    private final ProjectRender render;

    public ClipRetryListener(ProjectRender render) {
        this.render = render;
    }

    @Override
    public void process(Exchange exchange) {
        render.clipRetrying(exchange);
    }
}
