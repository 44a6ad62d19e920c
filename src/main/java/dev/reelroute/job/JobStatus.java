package dev.reelroute.job;

public enum JobStatus {
    PENDING, PROCESSING, COMPLETED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
    }

    public boolean isActive() {
        return this == PENDING || this == PROCESSING;
    }
}
