package dev.reelroute.provider;

import dev.reelroute.job.ProgressEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * One job's clip at its remote provider, from submit to download: the state the remote-clip route carries in the
 * {@code remoteRun} property between provider calls. Confined to that route's exchange.
 */
public final class RemoteClipRun {
    /** Why polling stopped before the prediction ended. */
    enum Interruption { JOB_ENDED, TIMED_OUT }

    private final String jobId;
    private final ModelEntry model;
    private final RemoteClipRequest request;
    private final Path workDir;
    private final Duration pollInterval;
    private final Duration maxWait;
    private final Instant deadline;
    private final ProviderLogLines logLines;
    private RemotePrediction prediction;
    private Interruption interruption;
    private int reportedProgress = -1;
    private String reportedMessage;
    private Path output;
    private String submittedBefore;
    private ProgressEvent unsentProgress;

    RemoteClipRun(String jobId, ModelEntry model, RemoteClipRequest request, Path workDir,
                  ProviderProperties.Endpoint endpoint, Instant now, int maxLogLines) {
        this.jobId = jobId;
        this.model = model;
        this.request = request;
        this.workDir = workDir;
        this.pollInterval = endpoint.pollInterval();
        this.maxWait = endpoint.maxWait();
        this.deadline = now.plus(maxWait);
        this.logLines = new ProviderLogLines(maxLogLines);
    }

    public String jobId() {
        return jobId;
    }

    /** The provider's id, for the route that picks the provider-call route: {@code replicate} or {@code fal}. */
    public String provider() {
        return model.provider().id();
    }

    public long pollIntervalMillis() {
        return pollInterval.toMillis();
    }

    /** The job was cancelled, deleted or ended otherwise while the prediction ran. */
    public boolean jobEnded() {
        return interruption == Interruption.JOB_ENDED;
    }

    public boolean timedOut() {
        return interruption == Interruption.TIMED_OUT;
    }

    /** The downloaded video, once there is one. */
    public Path output() {
        return output;
    }

    ModelEntry model() {
        return model;
    }

    ProviderName providerName() {
        return model.provider();
    }

    RemoteClipRequest request() {
        return request;
    }

    Path workDir() {
        return workDir;
    }

    Duration maxWait() {
        return maxWait;
    }

    Instant deadline() {
        return deadline;
    }

    ProviderLogLines logLines() {
        return logLines;
    }

    RemotePrediction prediction() {
        return prediction;
    }

    void prediction(RemotePrediction latest) {
        this.prediction = latest;
    }

    /** The prediction an earlier worker submitted for this job, to follow instead of submitting again. */
    void resume(String predictionId) {
        this.submittedBefore = predictionId;
    }

    String submittedBefore() {
        return submittedBefore;
    }

    void interrupt(Interruption why) {
        this.interruption = why;
    }

    boolean interrupted() {
        return interruption != null;
    }

    void output(Path file) {
        this.output = file;
    }

    /** The progress event made since the route last asked, once; null when there is none. */
    public ProgressEvent takeProgress() {
        ProgressEvent event = unsentProgress;
        unsentProgress = null;
        return event;
    }

    void progress(ProgressEvent event) {
        this.unsentProgress = event;
    }

    /** Records what the job was last told; false when it was told exactly this already. */
    boolean report(int progress, String message) {
        if (progress <= reportedProgress && message.equals(reportedMessage)) {
            return false;
        }
        reportedProgress = Math.max(progress, reportedProgress);
        reportedMessage = message;
        return true;
    }

    int reportedProgress() {
        return reportedProgress;
    }

    @Override
    public String toString() {
        return "RemoteClipRun[job=" + jobId + ", model=" + model.name() + ", prediction="
                + (prediction == null ? null : prediction.id() + " " + prediction.status()) + "]";
    }
}
