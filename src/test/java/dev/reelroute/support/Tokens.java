package dev.reelroute.support;

import dev.reelroute.tokens.TopUp;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/** A test's tokens for an account, added as the service adds them: a top-up through the route top-up-account. */
public final class Tokens {
    private Tokens() {}

    /** Adds {@code amount} tokens to the account's balance; returns the balance after it. */
    public static long topUp(ProducerTemplate template, String accountId, long amount) {
        Exchange done = template.send("direct:top-up-account",
                exchange -> exchange.setVariable("topUp", new TopUp(accountId, amount, "test")));
        if (done.getException() != null) {
            throw new IllegalStateException("top-up-account failed", done.getException());
        }
        return done.getVariable("tokenBalance", Long.class);
    }

    /** The same, from a context of its own (a second instance, a plain Camel context). */
    public static long topUp(CamelContext camel, String accountId, long amount) {
        ProducerTemplate template = camel.createProducerTemplate();
        try {
            return topUp(template, accountId, amount);
        } finally {
            template.stop();
        }
    }
}
