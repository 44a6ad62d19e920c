package dev.reelroute.job;

import java.util.List;

/** One page of a keyset-paginated listing; {@code nextCursor} is the id of the last job on the page. */
public record JobPage(List<Job> jobs, String nextCursor, boolean hasNextPage) {}
