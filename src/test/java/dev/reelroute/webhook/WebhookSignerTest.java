package dev.reelroute.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    @Test
    void hexSignatureMatchesTheDocumentsReceiverCode() {
        // crypto.createHmac('sha256', 'secret').update('{"jobId":"x"}').digest('hex')
        Map<String, String> headers = WebhookSigner.headers("secret", "msg_1", 1_700_000_000L, "{\"jobId\":\"x\"}");
        assertThat(headers.get("X-Webhook-Signature"))
                .isEqualTo(hmacHex("secret", "{\"jobId\":\"x\"}"))
                .matches("[0-9a-f]{64}");
    }

    @Test
    void standardWebhooksSignatureMatchesThePublishedExample() {
        // the example of the Standard Webhooks specification
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        String id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        long timestamp = 1614265330L;
        String body = "{\"test\": 2432232314}";
        Map<String, String> headers = WebhookSigner.headers(secret, id, timestamp, body);
        assertThat(headers.get("webhook-signature")).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        assertThat(headers.get("webhook-id")).isEqualTo(id);
        assertThat(headers.get("webhook-timestamp")).isEqualTo("1614265330");
    }

    @Test
    void aSecretNotInWhsecFormIsUsedAsItsBytes() {
        assertThat(WebhookSigner.standardKey("plain-secret")).isEqualTo("plain-secret".getBytes());
        assertThat(WebhookSigner.standardKey("whsec_not base64!")).isEqualTo("whsec_not base64!".getBytes());
    }

    @Test
    void anyChangeToTheBodyChangesBothSignatures() {
        Map<String, String> a = WebhookSigner.headers("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "m", 1, "{\"a\":1}");
        Map<String, String> b = WebhookSigner.headers("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "m", 1, "{\"a\":2}");
        assertThat(a.get("X-Webhook-Signature")).isNotEqualTo(b.get("X-Webhook-Signature"));
        assertThat(a.get("webhook-signature")).isNotEqualTo(b.get("webhook-signature"));
    }

    private static String hmacHex(String key, String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
