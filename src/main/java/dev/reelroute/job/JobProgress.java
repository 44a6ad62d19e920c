package dev.reelroute.job;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Builds progress events (the reporting kamelets in src/main/resources/kamelets put one in the {@code progressEvent}
 * property and wire-tap it to job-progress, whose record-progress step applies them to the job row: progress only
 * moves forward, a stage change adds a log line) and logs the created and terminal ones.
 */
@Component("jobProgress")
public class JobProgress {
    private static final Logger log = LoggerFactory.getLogger(JobProgress.class);

    private final JobStore jobs;
    private final Clock clock;

    public JobProgress(JobStore jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    /** A stage change: recorded as progress and as a log line. */
    public ProgressEvent stage(String jobId, String stage, int progress, String message) {
        return event("stage", jobId, stage, progress, message);
    }

    /** A progress step within a stage (FFmpeg's own progress): recorded without a log line. */
    public ProgressEvent progress(String jobId, String stage, int progress, String message) {
        return event("progress", jobId, stage, progress, message);
    }

    /** The event for the job's current state: created, or its terminal status. */
    public ProgressEvent current(String jobId) {
        Job job = jobs.find(jobId).orElseThrow();
        String type = job.status() == JobStatus.PENDING ? "created" : job.status().name().toLowerCase();
        String message = job.status() == JobStatus.FAILED ? job.errorMessage() : job.statusMessage();
        return new ProgressEvent(type, job.id(), job.accountId(), job.kind(), job.status().name(), job.progress(),
                job.stage(), message, clock.instant());
    }

    private ProgressEvent event(String type, String jobId, String stage, int progress, String message) {
        Job job = jobs.find(jobId).orElseThrow();
        return new ProgressEvent(type, jobId, job.accountId(), job.kind(), JobStatus.PROCESSING.name(),
                JobSteps.runningProgress(progress), stage, message, clock.instant());
    }

    /** A created or terminal event (recorded by whoever made it): its log line, an error for a failure. */
    public void logStatus(ProgressEvent event) {
        jobs.appendLog(event.jobId(), event.type().equals("failed") ? "ERROR" : "INFO",
                event.message() == null ? event.type() : event.message());
        log.debug("Job {} {} {}% {}", event.jobId(), event.type(), event.progress(), event.stage());
    }
}
