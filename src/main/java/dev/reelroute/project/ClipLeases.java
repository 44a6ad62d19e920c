package dev.reelroute.project;

import dev.reelroute.job.LeaseStore;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The watchdog's view of the clips this instance renders ({@link ClipWork} ids). A clip has no lease in the
 * database: its unacknowledged message on reelroute.clips is its lease, and the broker hands it to another instance
 * when this one's connection dies. What the watchdog asks is whether each clip may go on: its run still generating
 * (not failed, cancelled or deleted) and the clip still this instance's.
 */
@Component
public class ClipLeases implements LeaseStore {
    private final ProjectStore store;

    public ClipLeases(ProjectStore store) {
        this.store = store;
    }

    @Override
    public void renewLeases(Collection<String> ids, String instanceId, Duration lease) {
        // nothing to renew: the broker's connection to this instance holds the clips' messages
    }

    @Override
    public Set<String> stillHeld(Collection<String> ids, String instanceId) {
        Set<ClipWork> clips = ids.stream().map(ClipWork::of).filter(Objects::nonNull).collect(Collectors.toSet());
        return store.clipsStillHeld(clips, instanceId).stream().map(ClipWork::workId).collect(Collectors.toSet());
    }
}
