package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reelroute.job.Job;
import dev.reelroute.job.JobStatus;
import dev.reelroute.live.JobWatch;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * job-watch, the route by which every instance hears every job event (the topic reelroute.job-events, here from
 * {@code direct:job-watch}) and wakes the readers waiting on that job: event streams and {@code Prefer: wait} reads.
 * What a reader sees: the job as the database holds it now, told only to that job's readers, and "gone" once the job
 * was deleted. JobWatch's own poll is off in the route tests, so every wake-up here came through the route.
 */
class JobWatchRouteTest extends StageRouteTest {
    @Autowired
    JobWatch jobWatch;

    /** What one reader was told, in order: the job's status, or "gone". */
    private static final class Reader implements JobWatch.Listener {
        final List<String> told = new CopyOnWriteArrayList<>();

        @Override
        public void seen(Optional<Job> job) {
            told.add(job.map(seen -> seen.status().name()).orElse("gone"));
        }
    }

    private void jobEvent(String jobId) {
        template.sendBodyAndHeader("direct:job-watch", "{}", "jobId", jobId);
    }

    @Test
    void anEventWakesTheJobsReadersWithTheJobAsItIsNow() throws Exception {
        Job job = imageAudioJob(null);
        Reader reader = new Reader();
        try (JobWatch.Registration ignored = jobWatch.watch(job.id(), reader)) {
            assertThat(jobStore.cancel(job.id(), job.accountId())).contains(JobStatus.PENDING);

            jobEvent(job.id());

            await().until(() -> !reader.told.isEmpty());
            assertThat(reader.told).containsExactly("CANCELLED");
        }
    }

    @Test
    void anEventWakesOnlyTheReadersOfItsJob() throws Exception {
        Job first = imageAudioJob(null);
        Job second = imageAudioJob(null);
        Reader firstReader = new Reader();
        Reader secondReader = new Reader();
        try (JobWatch.Registration a = jobWatch.watch(first.id(), firstReader);
             JobWatch.Registration b = jobWatch.watch(second.id(), secondReader)) {
            jobEvent(second.id());
            jobEvent(first.id());

            // JobWatch checks one job at a time, in the order it heard of them: the second job's check is done once
            // the first job's reader has been told
            await().until(() -> !firstReader.told.isEmpty());
            assertThat(firstReader.told).containsExactly("PENDING");
            assertThat(secondReader.told).containsExactly("PENDING");
        }
    }

    @Test
    void aDeletedJobIsToldAsGoneAndAClosedWatchHearsNothing() throws Exception {
        Job deleted = imageAudioJob(null);
        Job other = imageAudioJob(null);
        Reader reader = new Reader();
        Reader closedReader = new Reader();
        Reader otherReader = new Reader();
        try (JobWatch.Registration watching = jobWatch.watch(deleted.id(), reader);
             JobWatch.Registration watchingOther = jobWatch.watch(other.id(), otherReader)) {
            jobWatch.watch(deleted.id(), closedReader).close();
            jobStore.delete(deleted.id(), deleted.accountId());

            jobEvent(deleted.id());
            jobEvent(other.id());

            await().until(() -> !otherReader.told.isEmpty());
            assertThat(reader.told).containsExactly("gone");
            assertThat(closedReader.told).as("a reader that stopped waiting").isEmpty();
        }
    }

    @Test
    void anEventWithoutAJobIdWakesNoOne() throws Exception {
        Job job = imageAudioJob(null);
        Reader reader = new Reader();
        try (JobWatch.Registration ignored = jobWatch.watch(job.id(), reader)) {
            jobEvent(null);
            jobEvent(job.id());

            await().until(() -> !reader.told.isEmpty());
            assertThat(reader.told).as("told once, for the event that named its job").containsExactly("PENDING");
        }
    }
}
