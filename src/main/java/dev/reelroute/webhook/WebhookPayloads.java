package dev.reelroute.webhook;

import dev.reelroute.job.Job;

/**
 * The body of a job's webhook event: the job's status as its own surface answers a status read. The surfaces
 * implement it, so delivery needs to know no surface.
 */
public interface WebhookPayloads {
    Object payloadOf(Job job);
}
