package dev.reelroute.job;

import dev.reelroute.config.DaemonThreads;
import dev.reelroute.media.FfmpegProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Follows FFmpeg's own {@code -progress} file while it renders and turns {@code out_time} against the known
 * output duration into progress events, mapped onto the [from, to] span of the job's progress.
 */
@Component("ffmpegProgressTracker")
public class FfmpegProgressTracker implements DisposableBean {
    private static final long POLL_MILLIS = 500;

    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(new DaemonThreads("ffmpeg-progress"));
    private final Map<String, ScheduledFuture<?>> running = new ConcurrentHashMap<>();
    private final ProducerTemplate producer;
    private final JobProgress progress;
    private final ExecutorService jobEvents;

    public FfmpegProgressTracker(ProducerTemplate producer, JobProgress progress,
                                 JobEventsConfig jobEvents) {
        this.producer = producer;
        this.progress = progress;
        this.jobEvents = jobEvents.executor();
    }

    public void start(String jobId, Path progressFile, double outputSeconds, int fromPercent, int toPercent) {
        start(jobId, progressFile, outputSeconds, fromPercent, toPercent, "rendering", "Rendering video");
    }

    /** Follows an FFmpeg run of another stage (an analysis pass, say), reported under that stage's name. */
    public void start(String jobId, Path progressFile, double outputSeconds, int fromPercent, int toPercent,
                      String stage, String label) {
        int[] lastSent = {fromPercent};
        ScheduledFuture<?> task = scheduler.scheduleWithFixedDelay(() -> {
            OptionalLong outTime = read(progressFile);
            if (outTime.isEmpty()) {
                return;
            }
            int within = FfmpegProgress.percent(outTime.getAsLong(), outputSeconds);
            int overall = fromPercent + (toPercent - fromPercent) * within / 100;
            if (overall > lastSent[0]) {
                lastSent[0] = overall;
                ProgressEvent event = progress.progress(jobId, stage, overall, label + " (" + within + "%)");
                // through the same single thread as the reporting kamelets' wire-taps, so events stay in order
                jobEvents.execute(() -> producer.send("direct:job-progress",
                        exchange -> exchange.setProperty("progressEvent", event)));
            }
        }, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> previous = running.put(jobId, task);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    public void stop(String jobId) {
        ScheduledFuture<?> task = running.remove(jobId);
        if (task != null) {
            task.cancel(false);
        }
    }

    private static OptionalLong read(Path progressFile) {
        try {
            return Files.exists(progressFile)
                    ? FfmpegProgress.lastOutTimeMicros(Files.readString(progressFile))
                    : OptionalLong.empty();
        } catch (IOException | RuntimeException unreadable) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void destroy() {
        scheduler.shutdownNow();
    }
}
