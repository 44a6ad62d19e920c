package dev.reelroute.job;

import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.config.Texts;
import dev.reelroute.media.InvalidMediaException;
import dev.reelroute.storage.DiskFull;
import dev.reelroute.tokens.TokenLedger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A job's work failed: mark it FAILED with a message that tells the user what happened, without internals.
 * The orchestrator does not retry a failed job.
 */
@Component("jobFailures")
public class JobFailures {
    private static final Logger log = LoggerFactory.getLogger(JobFailures.class);
    public static final String STARTED_NANOS = "ffmpegStartedNanos";
    /** Not the job's fault: its tokens come back, and the same job can be submitted again once there is room. */
    static final String DISK_FULL = DiskFull.MESSAGE + ", so the job could not be finished; submit it again later";

    private final JobStore jobs;
    private final Duration ffmpegTimeout;
    private final RunningWork running;
    private final List<FailureExplanations> explanations;

    public JobFailures(JobStore jobs, ReelrouteProperties properties, RunningWork running,
                       List<FailureExplanations> explanations) {
        this.running = running;
        this.explanations = List.copyOf(explanations);
        this.jobs = jobs;
        this.ffmpegTimeout = properties.ffmpeg().timeout();
    }

    /**
     * What the user is told the job failed of (fail-job writes it on the job); null when there is nothing for this
     * worker to fail: the job was cancelled, deleted or taken over while it ran, or the exchange has no job.
     */
    public String failureMessage(Exchange exchange) {
        String jobId = exchange.getProperty("jobId", String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (jobId != null && running.stopReason(jobId).orElse(null) == RunningWork.StopReason.ENDED) {
            log.info("Job {} stopped: it was cancelled, deleted or taken over while it ran", jobId);
            return null;
        }
        String message = describe(exchange, cause);
        log.error("Job {} failed: {}", jobId, message, cause);
        return jobId == null ? null : message;
    }

    /** In fail-job, once the job is FAILED: its tokens come back unless the request itself was at fault. */
    public boolean refundDue(Exchange exchange) {
        return !isUsersFault(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
    }

    /** The refund's reason in the ledger, bounded to its column. */
    public String refundReason(String failureMessage) {
        return Texts.bounded("Job failed: " + failureMessage, TokenLedger.MAX_REASON_LENGTH);
    }

    /** fail-job's refund went through (in its transaction): the job's log says so. */
    public void refunded(String jobId, long tokens) {
        jobs.appendLog(jobId, "INFO", tokens + " tokens refunded: the failure was not caused by the request");
    }

    /** Whether the work failed because the database is out of reach: then it is run again, not failed. */
    public boolean databaseUnavailable(Exchange exchange) {
        Throwable cause = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return DatabaseOutage.isCause(cause);
    }

    /** A failure the request itself caused (the provider refused its input): its tokens are not given back. */
    private boolean isUsersFault(Throwable cause) {
        return explanations.stream().anyMatch(explanation -> explanation.causedByRequest(cause));
    }

    String describe(Exchange exchange, Throwable cause) {
        if (cause instanceof WorkStoppedException stopped) {
            return stopped.getMessage();
        }
        Optional<String> stopMessage = running.stopMessage(exchange.getProperty("jobId", String.class));
        if (stopMessage.isPresent()) {
            return stopMessage.get(); // whatever failed, it failed because the watchdog killed its processes
        }
        if (cause instanceof ExecException exec) {
            Long started = exchange.getProperty(STARTED_NANOS, Long.class);
            if (started != null && System.nanoTime() - started >= ffmpegTimeout.toNanos()) {
                return "Rendering stopped: FFmpeg hit its time limit of " + Texts.duration(ffmpegTimeout);
            }
            String stderr = stderrTail(exec);
            log.warn("FFmpeg for job {} exited with {}: {}", exchange.getProperty("jobId"), exec.getExitValue(),
                    stderr);
            if (DiskFull.isSaidIn(stderr)) {
                return DISK_FULL;
            }
            return "Rendering failed: FFmpeg exited with code " + exec.getExitValue();
        }
        if (DiskFull.isCause(cause)) {
            return DISK_FULL;
        }
        if (cause instanceof InvalidMediaException) {
            return "Rendering failed: " + cause.getMessage();
        }
        return explanations.stream().map(explanation -> explanation.userMessage(cause)).flatMap(Optional::stream)
                .findFirst().orElse("Processing failed because of an internal error");
    }

    private static String stderrTail(ExecException exec) {
        try (var stderr = exec.getStderr()) {
            if (stderr == null) {
                return "";
            }
            String text = new String(stderr.readNBytes(64 * 1024), java.nio.charset.StandardCharsets.UTF_8);
            return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
        } catch (java.io.IOException unreadable) {
            return "";
        }
    }
}
