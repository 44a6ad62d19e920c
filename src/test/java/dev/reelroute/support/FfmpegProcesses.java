package dev.reelroute.support;

import java.nio.file.Path;
import java.util.List;

/** The process table, as a user with `ps` would check it: which FFmpeg processes work on a given path. */
public final class FfmpegProcesses {
    private FfmpegProcesses() {}

    /** FFmpeg processes whose arguments name {@code path} or a file under it. */
    public static List<ProcessHandle> under(Path path) {
        return naming(path.toAbsolutePath().toString());
    }

    /** FFmpeg processes whose arguments contain {@code marker} (a job's or a run's id, a path). */
    public static List<ProcessHandle> naming(String marker) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.contains("ffmpeg")).orElse(false))
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(marker)).orElse(false))
                .toList();
    }
}
