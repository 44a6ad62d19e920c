package dev.reelroute.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-IP limits with Bucket4j: every /api/ request draws from one bucket, and a submission (POST /api/jobs,
 * /api/v1/video-jobs, /api/generate, /api/v1/videos or /api/v1/jobs) also from a smaller one, shared by them. Answers carry
 * RateLimit-Limit / -Remaining / -Reset for the tighter bucket; a refusal is a 429 with Retry-After, in the
 * surface's error body. Runs before authentication, so floods of bad keys and tokens are limited too.
 */
public class RateLimitFilter extends OncePerRequestFilter {
    /** The POSTs that start paid, heavy work: one per surface that submits jobs. */
    private static final List<String> SUBMISSIONS =
            List.of("/api/jobs", "/api/v1/video-jobs", "/api/generate", "/api/v1/videos", "/api/v1/jobs");
    private final int apiPerMinute;
    private final int submitPerMinute;
    private final Cache<String, Bucket> apiBuckets;
    private final Cache<String, Bucket> submitBuckets;

    public RateLimitFilter(int apiPerMinute, int submitPerMinute) {
        this.apiPerMinute = apiPerMinute;
        this.submitPerMinute = submitPerMinute;
        // bounded: an address unseen for a few minutes has a full bucket anyway
        this.apiBuckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(2)).build();
        this.submitBuckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(2)).build();
    }

    private static Bucket perMinute(int limit) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, Duration.ofMinutes(1)).build())
                .build();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !RequestPaths.isUnder(request, "/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = request.getRemoteAddr();
        boolean submission = "POST".equals(request.getMethod())
                && SUBMISSIONS.stream().anyMatch(resource -> RequestPaths.isAt(request, resource));

        ConsumptionProbe probe = apiBuckets.get(client, ip -> perMinute(apiPerMinute)).tryConsumeAndReturnRemaining(1);
        int limit = apiPerMinute;
        if (probe.isConsumed() && submission) {
            ConsumptionProbe submitProbe =
                    submitBuckets.get(client, ip -> perMinute(submitPerMinute)).tryConsumeAndReturnRemaining(1);
            if (!submitProbe.isConsumed() || submitProbe.getRemainingTokens() < probe.getRemainingTokens()) {
                probe = submitProbe;
                limit = submitPerMinute;
            }
        }
        response.setHeader("RateLimit-Limit", Integer.toString(limit));
        response.setHeader("RateLimit-Remaining", Long.toString(Math.max(0, probe.getRemainingTokens())));
        response.setHeader("RateLimit-Reset", Long.toString(seconds(probe.getNanosToWaitForReset())));
        if (!probe.isConsumed()) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, seconds(probe.getNanosToWaitForRefill()))));
            ErrorBodies.write(request, response, 429, "Rate limit exceeded — slow down");
            return;
        }
        chain.doFilter(request, response);
    }

    private static long seconds(long nanos) {
        return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
    }
}
