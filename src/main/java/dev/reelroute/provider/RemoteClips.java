package dev.reelroute.provider;

import dev.reelroute.config.WorkDirs;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobProgress;
import dev.reelroute.job.JobStatus;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.PromptSpec;
import dev.reelroute.job.RunningWork;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A prompt job's clip made by its model's remote provider, step by step for the remote-clip route: {@link #start}
 * prepares the request, {@link #perform} makes one provider call (submit, poll, cancel, download; the route runs it
 * inside the provider's circuit breaker), {@link #keepPolling} decides whether to poll again. Provider log lines go
 * to the job's log, the provider's percent to the job's progress (within {@value #PROGRESS_FROM}..{@value
 * #PROGRESS_TO}). Every failure leaves as a {@link RemoteClipException}.
 */
@Component("remoteClips")
public class RemoteClips {
    public static final String SUBMIT = "submit";
    public static final String POLL = "poll";
    public static final String CANCEL = "cancel";
    public static final String DOWNLOAD = "download";
    /** The part of the job's progress bar the remote generation fills; downloading and compiling follow. */
    static final int PROGRESS_FROM = 10;
    static final int PROGRESS_TO = 85;
    private static final String STAGE = "generating";
    private static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "mov", "webm", "mkv");
    private static final Logger log = LoggerFactory.getLogger(RemoteClips.class);

    private final JobStore jobs;
    private final JobProgress progress;
    private final ModelCatalog catalog;
    private final RemoteProviders providers;
    private final ImageDataUris images;
    private final WorkDirs workDirs;
    private final RunningWork running;
    private final ProviderProperties properties;
    private final Clock clock;

    public RemoteClips(JobStore jobs, JobProgress progress, ModelCatalog catalog, RemoteProviders providers,
                       ImageDataUris images, WorkDirs workDirs, RunningWork running, ProviderProperties properties,
                       Clock clock) {
        this.jobs = jobs;
        this.progress = progress;
        this.catalog = catalog;
        this.providers = providers;
        this.images = images;
        this.workDirs = workDirs;
        this.running = running;
        this.properties = properties;
        this.clock = clock;
    }

    /** Checks the job against its model and builds the provider request (images read from storage); no call yet. */
    public RemoteClipRun start(String jobId) {
        Job job = jobs.find(jobId).orElseThrow(() -> new IllegalStateException("job " + jobId + " does not exist"));
        PromptSpec spec = job.prompt();
        if (spec == null) {
            throw new IllegalArgumentException("job " + jobId + " is not a prompt job");
        }
        ModelEntry model;
        try {
            model = catalog.check(spec);
        } catch (ModelRefusedException refused) {
            // accepted when it was created, so the configuration changed since: not the user's doing
            throw RemoteClipException.internal(refused.getMessage(), refused);
        }
        Path workDir = workDir(jobId);
        ModelInputMapper.Mapped mapped;
        try {
            mapped = ModelInputMapper.map(model, spec, key -> images.dataUri(key, workDir));
        } catch (IOException e) {
            throw RemoteClipException.internal("The job's stored images could not be read", e);
        }
        mapped.notes().forEach(note -> jobs.appendLog(jobId, "INFO", note));
        ProviderProperties.Endpoint endpoint = providers.endpoint(model.provider());
        RemoteClipRun run = new RemoteClipRun(jobId, model, mapped.request(), workDir, endpoint, clock.instant(),
                properties.maxLogLines());
        if (jobEnded(jobId)) {
            run.interrupt(RemoteClipRun.Interruption.JOB_ENDED);
        }
        if (job.providerJobId() != null && model.provider().id().equals(job.provider())) {
            run.resume(job.providerJobId());
        }
        return run;
    }

    /** One provider call, by name (submit, poll, cancel, download); a provider failure becomes a clip failure. */
    public void perform(RemoteClipRun run, String operation) {
        try {
            switch (operation) {
                case SUBMIT -> submit(run);
                case POLL -> poll(run);
                case CANCEL -> cancel(run);
                case DOWNLOAD -> download(run);
                default -> throw new IllegalArgumentException("unknown provider operation '" + operation + "'");
            }
        } catch (ProviderException e) {
            log.warn("Job {}: {} {} failed: {}", run.jobId(), run.provider(), operation, e.getMessage());
            throw RemoteClipException.callFailed(run.providerName(), e);
        }
    }

    private void submit(RemoteClipRun run) {
        if (run.interrupted()) {
            return;
        }
        if (run.submittedBefore() != null) {
            // a worker that died submitted it: follow that prediction rather than pay for a second one
            run.prediction(new RemotePrediction(run.submittedBefore(), RemotePrediction.QUEUED, null, null, null, null));
            jobs.appendLog(run.jobId(), "INFO", "Resuming " + run.provider() + " prediction " + run.submittedBefore()
                    + ", submitted before the last worker stopped");
            return;
        }
        RemotePrediction prediction = adapter(run).submit(run.request());
        run.prediction(prediction);
        jobs.recordProviderJob(run.jobId(), run.provider(), prediction.id());
        jobs.appendLog(run.jobId(), "INFO", "Submitted to " + run.provider() + " as " + prediction.id());
        report(run, prediction);
    }

    private void poll(RemoteClipRun run) {
        RemotePrediction prediction = adapter(run).poll(run.prediction().id());
        run.prediction(prediction);
        for (String line : run.logLines().fresh(prediction.logs())) {
            jobs.appendLog(run.jobId(), "INFO", run.provider() + ": " + line);
        }
        switch (prediction.status()) {
            case RemotePrediction.FAILED -> throw RemoteClipException.predictionFailed(run.providerName(),
                    run.model().name(), prediction.error());
            case RemotePrediction.CANCELED -> throw RemoteClipException.canceledByProvider(run.providerName());
            default -> report(run, prediction);
        }
    }

    private void cancel(RemoteClipRun run) {
        RemotePrediction prediction = run.prediction();
        if (prediction == null || prediction.terminal()) {
            return;
        }
        adapter(run).cancel(prediction.id());
        jobs.appendLog(run.jobId(), "INFO", "Cancelled the " + run.provider() + " prediction " + prediction.id());
    }

    private void download(RemoteClipRun run) {
        RemotePrediction prediction = run.prediction();
        if (prediction == null || !RemotePrediction.SUCCEEDED.equals(prediction.status())) {
            throw RemoteClipException.internal("Clip generation stopped before " + run.provider() + " finished", null);
        }
        Path target = run.workDir().resolve("remote-output." + extension(prediction.outputUrl()));
        // the provider's download-clip route retries a dropped transfer, as it does every provider call
        run.output(adapter(run).download(prediction.outputUrl(), target, properties.maxOutputBytes().toBytes()));
        jobs.appendLog(run.jobId(), "INFO", "Downloaded the video " + run.provider() + " made");
    }

    /**
     * Whether to poll again: not once the prediction ended, the job ended (cancelled by its user, deleted, failed by
     * someone else) or the provider's max wait passed; the run then says which.
     */
    public boolean keepPolling(RemoteClipRun run) {
        if (run.interrupted() || run.prediction() == null || run.prediction().terminal()) {
            return false;
        }
        if (jobEnded(run.jobId())) {
            run.interrupt(RemoteClipRun.Interruption.JOB_ENDED);
            log.info("Job {} ended while {} was generating; cancelling the prediction", run.jobId(), run.provider());
            return false;
        }
        if (!clock.instant().isBefore(run.deadline())) {
            run.interrupt(RemoteClipRun.Interruption.TIMED_OUT);
            return false;
        }
        return true;
    }

    /** Throws the clip's time-out, once the route has cancelled the prediction. */
    public void failTimedOut(RemoteClipRun run) {
        throw RemoteClipException.timedOut(run.providerName(), run.maxWait());
    }

    /** Throws the clip's failure for a call the provider's open circuit breaker refused. */
    public void failCircuitOpen(RemoteClipRun run, Throwable refusal) {
        log.warn("Job {}: the {} circuit breaker is open; failing the clip at once", run.jobId(), run.provider());
        throw RemoteClipException.circuitOpen(run.providerName(), refusal);
    }

    /**
     * Cancels the job's remote prediction right away, for the API's cancel (the worker's poll loop also notices the
     * cancelled job, but only at its next poll, and perhaps on another instance). Never throws; false when there
     * was nothing to cancel or the provider could not be told.
     */
    public boolean cancelQuietly(String jobId) {
        Optional<Job> job = jobs.find(jobId);
        if (job.isEmpty() || job.get().provider() == null || job.get().providerJobId() == null) {
            return false;
        }
        String predictionId = job.get().providerJobId();
        try {
            ProviderName provider = ProviderName.of(job.get().provider());
            providers.breaker(provider).executeRunnable(() -> providers.adapter(provider).cancel(predictionId));
            return true;
        } catch (RuntimeException e) {
            log.warn("Job {}: could not cancel prediction {} at {}: {}", jobId, predictionId, job.get().provider(),
                    e.getMessage());
            return false;
        }
    }

    private boolean jobEnded(String jobId) {
        if (running.stopRequested(jobId)) {
            return true; // out of time or taken over: the orchestrator fails it with the reason
        }
        return jobs.find(jobId).map(Job::status).map(JobStatus::isTerminal).orElse(true);
    }

    /** Moves the job's progress with the prediction: queued at the start of the range, then the provider's %. */
    private void report(RemoteClipRun run, RemotePrediction prediction) {
        String model = run.model().name();
        int percent = prediction.progressPercent() == null ? 0 : Math.max(0, Math.min(100, prediction.progressPercent()));
        String message = switch (prediction.status()) {
            case RemotePrediction.QUEUED -> "Waiting in the " + run.provider() + " queue";
            case RemotePrediction.SUCCEEDED -> "Generated with " + model;
            default -> prediction.progressPercent() == null ? "Generating with " + model
                    : "Generating with " + model + ": " + percent + "%";
        };
        int value = PROGRESS_FROM + (PROGRESS_TO - PROGRESS_FROM) * percent / 100;
        if (run.report(value, message)) {
            run.progress(progress.progress(run.jobId(), STAGE, Math.max(value, run.reportedProgress()), message));
        }
    }

    private RemoteVideoProvider adapter(RemoteClipRun run) {
        return providers.adapter(run.providerName());
    }

    private Path workDir(String jobId) {
        try {
            return workDirs.create(jobId);
        } catch (IOException e) {
            throw RemoteClipException.internal("The job's work directory could not be made", e);
        }
    }

    /** The output's own extension when it is a video one, else mp4 (what both providers' video models make). */
    static String extension(String outputUrl) {
        String path = URI.create(outputUrl).getPath();
        if (path != null) {
            int dot = path.lastIndexOf('.');
            String ext = dot < 0 || dot < path.lastIndexOf('/') ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
            if (VIDEO_EXTENSIONS.contains(ext)) {
                return ext;
            }
        }
        return "mp4";
    }
}
