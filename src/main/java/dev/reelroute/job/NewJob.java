package dev.reelroute.job;

/** What a surface knows about a job before it is stored. */
public record NewJob(
        String id,
        String accountId,
        String apiKeyId,
        String kind,
        String webhookUrl,
        String inputImageKey,
        String inputAudioKey,
        long durationMs,
        String shareToken,
        PromptSpec prompt,
        String provider,
        long tokensConsumed,
        StyleSpec style,
        String webhookEvents) {

    /** Without a webhook events filter (the default: the terminal event only). */
    public NewJob(String id, String accountId, String apiKeyId, String kind, String webhookUrl, String inputImageKey,
                  String inputAudioKey, long durationMs, String shareToken, PromptSpec prompt, String provider,
                  long tokensConsumed, StyleSpec style) {
        this(id, accountId, apiKeyId, kind, webhookUrl, inputImageKey, inputAudioKey, durationMs, shareToken, prompt,
                provider, tokensConsumed, style, null);
    }

    /** The same job with a webhook events filter (the stored form of {@code WebhookEvents}; null: the default). */
    public NewJob withWebhookEvents(String filter) {
        return new NewJob(id, accountId, apiKeyId, kind, webhookUrl, inputImageKey, inputAudioKey, durationMs,
                shareToken, prompt, provider, tokensConsumed, style, filter);
    }

    /** A prompt job. */
    public NewJob(String id, String accountId, String apiKeyId, String kind, String webhookUrl, String inputImageKey,
                  String inputAudioKey, long durationMs, String shareToken, PromptSpec prompt, String provider,
                  long tokensConsumed) {
        this(id, accountId, apiKeyId, kind, webhookUrl, inputImageKey, inputAudioKey, durationMs, shareToken, prompt,
                provider, tokensConsumed, null);
    }

    /** An image + audio job. */
    public NewJob(String id, String accountId, String apiKeyId, String kind, String webhookUrl, String inputImageKey,
                  String inputAudioKey, long durationMs, String shareToken) {
        this(id, accountId, apiKeyId, kind, webhookUrl, inputImageKey, inputAudioKey, durationMs, shareToken, null,
                null, 0, null);
    }
}
