package dev.reelroute.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * The scratch directory of one job or project run under the data dir: inputs fetched from storage, FFmpeg's
 * outputs before they are stored. Every process a job starts names it, which is how its processes are found.
 */
@Component
public class WorkDirs {
    /** A job id, or a prefixed one such as a project run's "run_…", with an optional part: a run's clip "run_…-clip3". */
    private static final Pattern WORK_ID = Pattern.compile("([a-z]{1,8}_)?[a-z0-9]{1,32}(-[a-z]{1,8}[0-9]{1,4})?");
    private final Path root;

    public WorkDirs(ReelrouteProperties properties) {
        this.root = properties.dataDir().resolve("work").toAbsolutePath().normalize();
    }

    /** Whether the id names a scratch directory: a job's or a run's id, or a part of one (it becomes a path element). */
    public static boolean isWorkId(String workId) {
        return workId != null && WORK_ID.matcher(workId).matches();
    }

    /** The directory, which may not exist; the id must be a well-formed id (it becomes a path element). */
    public Path of(String workId) {
        if (!isWorkId(workId)) {
            throw new IllegalArgumentException("not a job or run id");
        }
        return root.resolve(workId);
    }

    public Path create(String workId) throws IOException {
        return Files.createDirectories(of(workId));
    }

    public void delete(String workId) throws IOException {
        FileSystemUtils.deleteRecursively(of(workId));
    }
}
