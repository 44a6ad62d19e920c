package dev.reelroute.job;

import java.time.Instant;

public record JobLogLine(Instant timestamp, String level, String message) {}
