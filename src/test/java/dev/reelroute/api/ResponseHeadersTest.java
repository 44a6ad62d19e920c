package dev.reelroute.api;

import dev.reelroute.web.ResponseHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class ResponseHeadersTest {
    @Test
    void keepsOnlyTheResponseCodeAndLocationWhateverTheirCase() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start(); // a started context gives messages their case-insensitive headers map
            Message message = new DefaultExchange(camel).getMessage();
            message.setHeader("X-API-Key", "rr_secret");
            message.setHeader("Authorization", "Bearer rr_secret");
            message.setHeader("jobId", "abc");
            message.setHeader(Exchange.HTTP_PATH, "/api/status/abc");
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 201);
            message.setHeader("location", "/api/jobs/abc");

            new ResponseHeaders().keepResponseOnly(message);

            assertThat(message.getHeaders()).containsOnlyKeys(Exchange.HTTP_RESPONSE_CODE, "location");
            assertThat(message.getHeader("Location")).isEqualTo("/api/jobs/abc");
        }
    }

    @Test
    void anEmptyMessageStaysEmpty() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start(); // a started context gives messages their case-insensitive headers map
            Message message = new DefaultExchange(camel).getMessage();
            new ResponseHeaders().keepResponseOnly(message);
            assertThat(message.getHeaders()).isEmpty();
        }
    }
}
