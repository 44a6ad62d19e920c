package dev.reelroute.job;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;

/** Where a kind of work (jobs, project runs) keeps its workers' leases. */
public interface LeaseStore {
    /** Extends the leases this worker holds on the work that is still active and still its own. */
    void renewLeases(Collection<String> ids, String instanceId, Duration lease);

    /**
     * Of these, the ones this worker may go on with: still active and held by it, or already completed (the route
     * that completed it is finishing its last steps). The rest were cancelled, deleted, failed or taken over.
     */
    Set<String> stillHeld(Collection<String> ids, String instanceId);
}
