package dev.reelroute.job;

import java.nio.file.Path;

/**
 * What to follow of one FFmpeg run: its {@code -progress} file, the seconds it writes, and how its progress is
 * reported (stage, label, the [from, to] span of the job's progress). A route sets it as the exchange property
 * {@code ffmpegProgress} just before its {@code exec:}; the {@code ffmpeg-progress} route configuration follows the run.
 */
public record FfmpegFollow(String jobId, Path progressFile, double outputSeconds, int fromPercent, int toPercent,
                           String stage, String label) {
    /** The final render of a job, reported as the rendering stage. */
    public static FfmpegFollow rendering(String jobId, PlannedRender render) {
        return new FfmpegFollow(jobId, render.progressFile(), render.durationSeconds(), render.progressFrom(),
                render.progressTo(), "rendering", "Rendering video");
    }

    /**
     * An FFmpeg run of another stage (an analysis pass, say), reported under that stage's name; a factory because
     * a route's Simple expression can call a static method but no constructor.
     */
    public static FfmpegFollow of(String jobId, Path progressFile, double outputSeconds, int fromPercent,
                                  int toPercent, String stage, String label) {
        return new FfmpegFollow(jobId, progressFile, outputSeconds, fromPercent, toPercent, stage, label);
    }
}
