package dev.reelroute.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompileSlotsTest {
    private final DefaultCamelContext camel = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    @Test
    void aSecondCompileWaitsUntilTheFirstJobsExchangeEndsHoweverItEnds() throws Exception {
        CompileSlots slots = new CompileSlots(1);
        Exchange first = new DefaultExchange(camel);
        slots.take(first);
        assertThat(slots.free()).isZero();

        Exchange second = new DefaultExchange(camel);
        CompletableFuture<Void> secondTaken = CompletableFuture.runAsync(() -> {
            try {
                slots.take(second);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().until(() -> slots.waiting() == 1);
        assertThat(secondTaken).isNotDone();

        completes(first);
        secondTaken.get();
        assertThat(slots.free()).as("the second holds the slot").isZero();

        fails(second);
        assertThat(slots.free()).isEqualTo(1);
    }

    @Test
    void asManyAtOnceAsConfiguredAndNeverNone() throws Exception {
        CompileSlots slots = new CompileSlots(2);
        slots.take(new DefaultExchange(camel));
        slots.take(new DefaultExchange(camel));
        assertThat(slots.free()).isZero();
        assertThatThrownBy(() -> new CompileSlots(0)).hasMessageContaining("at least 1");
    }

    private static void completes(Exchange exchange) {
        exchange.getExchangeExtension().handoverCompletions().forEach(done -> done.onComplete(exchange));
    }

    private static void fails(Exchange exchange) {
        exchange.getExchangeExtension().handoverCompletions().forEach(done -> done.onFailure(exchange));
    }
}
