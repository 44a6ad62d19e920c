package dev.reelroute.storage;

import java.util.List;

/**
 * Tells a failure caused by a full disk (ENOSPC, or a quota used up) from any other: Java says it in the
 * IOException's message, FFmpeg on its standard error. Users are told {@link #MESSAGE}, never the raw text.
 */
public final class DiskFull {
    /** What a user is told, on every surface and in a failed job's message. */
    public static final String MESSAGE = "The server's disk is full";
    private static final List<String> SIGNS = List.of("No space left on device", "Disk quota exceeded");

    private DiskFull() {}

    /** True when the failure, or one it wraps, is a write that found the disk full. */
    public static boolean isCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (isSaidIn(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** True when a process's output (FFmpeg's standard error) says a write found the disk full. */
    public static boolean isSaidIn(String text) {
        return text != null && SIGNS.stream().anyMatch(text::contains);
    }
}
