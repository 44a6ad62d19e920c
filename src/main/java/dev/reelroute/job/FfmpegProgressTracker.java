package dev.reelroute.job;

import dev.reelroute.media.FfmpegProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The FFmpeg runs being followed (one per job), and what their {@code -progress} files say: {@code out_time}
 * against the known output duration, mapped onto the [from, to] span of the job's progress. The
 * {@code ffmpeg-progress} route configuration starts and ends each follow around the {@code exec:}; the
 * {@code ffmpeg-progress-poll} route asks for the events due and publishes them. This bean sends nothing itself.
 */
@Component("ffmpegProgressTracker")
public class FfmpegProgressTracker {
    private final Map<String, Following> following = new ConcurrentHashMap<>();
    private final JobProgress progress;

    public FfmpegProgressTracker(JobProgress progress) {
        this.progress = progress;
    }

    /** Follows this run from now on, in place of any earlier run of the same job. */
    public void follow(FfmpegFollow run) {
        following.put(run.jobId(), new Following(run, run.fromPercent()));
    }

    public void unfollow(String jobId) {
        following.remove(jobId);
    }

    /** The jobs whose FFmpeg run is followed now. */
    public Set<String> followedJobs() {
        return Set.copyOf(following.keySet());
    }

    /** One progress event for each followed run that moved the job's progress up since the last call. */
    public List<ProgressEvent> due() {
        List<ProgressEvent> events = new ArrayList<>();
        following.forEach((jobId, now) -> {
            FfmpegFollow run = now.run();
            OptionalLong outTime = read(run.progressFile());
            if (outTime.isEmpty()) {
                return;
            }
            int within = FfmpegProgress.percent(outTime.getAsLong(), run.outputSeconds());
            int overall = run.fromPercent() + (run.toPercent() - run.fromPercent()) * within / 100;
            // only if this same run is still followed (it may have ended, or been replaced, meanwhile)
            if (overall > now.lastSent() && following.replace(jobId, now, new Following(run, overall))) {
                try {
                    events.add(progress.progress(jobId, run.stage(), overall, run.label() + " (" + within + "%)"));
                } catch (RuntimeException jobUnreadable) {
                    // deleted meanwhile, or the database out of reach: nothing to say this time, the others still go
                }
            }
        });
        return events;
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

    private record Following(FfmpegFollow run, int lastSent) {}
}
