package dev.reelroute.project;

/**
 * One clip of a run as work an instance holds while it renders it: its id for the watchdog and its scratch
 * directory ({@code run_…-clip3}, beside the run's own), found again from that id.
 */
public record ClipWork(String runId, int position) {
    private static final String PART = "-clip";

    public String workId() {
        return runId + PART + position;
    }

    /** The clip a work id names; null when it names no clip (a run's or a job's own work). */
    public static ClipWork of(String workId) {
        int part = workId.lastIndexOf(PART);
        if (part < 0) {
            return null;
        }
        try {
            return new ClipWork(workId.substring(0, part), Integer.parseInt(workId.substring(part + PART.length())));
        } catch (NumberFormatException notAClip) {
            return null;
        }
    }
}
