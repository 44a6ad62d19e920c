package dev.reelroute.api;

import dev.reelroute.web.ApiException;
import static org.assertj.core.api.Assertions.assertThat;

import org.apache.activemq.artemis.jms.client.ActiveMQQueue;
import org.apache.activemq.artemis.jms.client.ActiveMQTopic;
import org.junit.jupiter.api.Test;

/** The error codes a JMS producer branches on, and the destinations that never get an answer. */
class JmsSubmissionsTest {

    @Test
    void eachRefusalHasTheCodeTheReadmeNames() {
        assertThat(JmsSubmissions.codeOf(ApiException.badRequest("x"))).isEqualTo("VALIDATION_ERROR");
        assertThat(JmsSubmissions.codeOf(new ApiException(401, "x"))).isEqualTo("UNAUTHORIZED");
        assertThat(JmsSubmissions.codeOf(new ApiException(402, "x"))).isEqualTo("PAYMENT_REQUIRED");
        // the key's image + audio limit (409) and the account's video and generate limits (429)
        assertThat(JmsSubmissions.codeOf(ApiException.conflict("x"))).isEqualTo("TOO_MANY_JOBS");
        assertThat(JmsSubmissions.codeOf(new ApiException(429, "x"))).isEqualTo("TOO_MANY_JOBS");
        assertThat(JmsSubmissions.codeOf(new ApiException(413, "x"))).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(JmsSubmissions.codeOf(new ApiException(415, "x"))).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(JmsSubmissions.codeOf(new ApiException(503, "x"))).isEqualTo("SERVICE_UNAVAILABLE");
        assertThat(JmsSubmissions.codeOf(new ApiException(413, "x").withCode(RemoteInputs.TOO_LARGE)))
                .isEqualTo("INPUT_TOO_LARGE");
        assertThat(JmsSubmissions.codeOf(new ApiException(502, "x").withCode(RemoteInputs.DOWNLOAD_FAILED)))
                .isEqualTo("INPUT_DOWNLOAD_FAILED");
    }

    @Test
    void theServicesOwnQueuesAndTopicsGetNoAnswer() throws Exception {
        assertThat(JmsSubmissions.isOwnDestination(new ActiveMQQueue("reelroute.jobs"))).isTrue();
        assertThat(JmsSubmissions.isOwnDestination(new ActiveMQQueue("reelroute.jobs.submit"))).isTrue();
        assertThat(JmsSubmissions.isOwnDestination(new ActiveMQTopic("reelroute.job-events"))).isTrue();
        assertThat(JmsSubmissions.isOwnDestination(new ActiveMQQueue("erp.video-replies"))).isFalse();
        assertThat(JmsSubmissions.isOwnDestination(null)).isFalse();
    }
}
