package dev.reelroute.security;

import java.time.Instant;

/** An account: owns API keys (its members), one webhook secret, a token balance and limits. */
public record Account(String id, String name, String webhookSecret, long tokenBalance, int maxActiveJobsPerKey,
                      Instant createdAt) {
    @Override
    public String toString() {
        return "Account[id=" + id + ", name=" + name + "]";
    }
}
