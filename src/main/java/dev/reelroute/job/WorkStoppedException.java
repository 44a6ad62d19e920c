package dev.reelroute.job;

/** The work was stopped from outside its route (cancelled, out of time, taken over); the message is for its user. */
public class WorkStoppedException extends RuntimeException {
    private final RunningWork.StopReason reason;

    public WorkStoppedException(RunningWork.StopReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RunningWork.StopReason reason() {
        return reason;
    }
}
