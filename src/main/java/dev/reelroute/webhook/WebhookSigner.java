package dev.reelroute.webhook;

import dev.reelroute.security.Secrets;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs a webhook body two ways at once:
 * <ul>
 *   <li>{@code X-Webhook-Signature}: hex HMAC-SHA256 of the raw body, keyed with the webhook secret's UTF-8
 *       bytes, exactly as the jobs API's receiver code checks it; the same value in {@code X-Signature}, the
 *       header the prompt pipeline's document signs with;</li>
 *   <li>Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature:
 *       v1,<base64>} over {@code id.timestamp.body}, keyed with the base64-decoded part of a {@code whsec_}
 *       secret (or the secret's UTF-8 bytes when it has another form), so receivers can reject replays.</li>
 * </ul>
 */
public final class WebhookSigner {
    private static final String STANDARD_SECRET_PREFIX = "whsec_";

    private WebhookSigner() {}

    public static Map<String, String> headers(String secret, String eventId, long timestampSeconds, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        String hex = HexFormat.of().formatHex(Secrets.hmacSha256(secretBytes, body));
        headers.put("X-Webhook-Signature", hex);
        headers.put("X-Signature", hex);
        headers.put("webhook-id", eventId);
        headers.put("webhook-timestamp", Long.toString(timestampSeconds));
        String signedContent = eventId + "." + timestampSeconds + "." + body;
        headers.put("webhook-signature",
                "v1," + Base64.getEncoder().encodeToString(Secrets.hmacSha256(standardKey(secret), signedContent)));
        return headers;
    }

    static byte[] standardKey(String secret) {
        if (secret.startsWith(STANDARD_SECRET_PREFIX)) {
            try {
                return Base64.getDecoder().decode(secret.substring(STANDARD_SECRET_PREFIX.length()));
            } catch (IllegalArgumentException notBase64) {
                // fall through: use the secret as given
            }
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

}
