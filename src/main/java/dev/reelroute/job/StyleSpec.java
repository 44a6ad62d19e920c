package dev.reelroute.job;

/**
 * What a style-transfer job works on; null on other jobs.
 *
 * @param configJson the request's {@code config} object as JSON text, or null
 * @param styleJson  the StyleJSON the job extracted (the template's, or the source's without one), once known
 */
public record StyleSpec(String sourceVideoId, String templateVideoId, String configJson, String styleJson) {}
