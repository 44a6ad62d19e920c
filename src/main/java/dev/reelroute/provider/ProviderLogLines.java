package dev.reelroute.provider;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Picks the provider log lines a job has not been given yet. Providers answer every poll with the whole log so far
 * (and Replicate rewrites its progress bar in place), so a line is new when it was not kept before. Progress bars
 * are left out: their percent goes to the job's progress instead. At most {@code max} lines are kept per job.
 */
final class ProviderLogLines {
    private static final Pattern PROGRESS_BAR = Pattern.compile("^\\s*\\d{1,3}(\\.\\d+)?\\s?%\\s*\\|.*");

    private final Set<String> kept = new HashSet<>();
    private final int max;
    private boolean full;

    ProviderLogLines(int max) {
        this.max = max;
    }

    /** The lines of this poll to append, in order; once the bound is reached, one last line that says so. */
    List<String> fresh(List<String> lines) {
        List<String> fresh = new ArrayList<>();
        for (String line : lines) {
            if (full) {
                break;
            }
            if (PROGRESS_BAR.matcher(line).matches() || kept.contains(line)) {
                continue;
            }
            if (kept.size() == max) {
                full = true;
                fresh.add("(further provider log lines are not kept: " + max + " is the limit)");
                break;
            }
            kept.add(line);
            fresh.add(line);
        }
        return fresh;
    }
}
