package dev.reelroute.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.config.Ids;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobLogLine;
import dev.reelroute.job.PlannedRender;
import dev.reelroute.job.RunningWork;
import dev.reelroute.project.ClipGenerationException;
import dev.reelroute.project.MadeClip;
import dev.reelroute.project.ProjectStore;
import dev.reelroute.project.RunClip;
import dev.reelroute.project.VideoProject;
import dev.reelroute.support.TestMedia;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * project-run, the kind step job-orchestrate runs for a video project's run once it has claimed it: a run with clips
 * to make puts one message per unmade clip on reelroute.clips (here {@code mock:queue-clip}, at the step queue-clip)
 * and lets the run go; a run whose clips are all made gets its compile planned for video-compile. What a user would
 * see: which clips go to the instances, the run's stage, progress and log, its project's status.
 */
class ProjectRunRouteTest extends StageRouteTest {
    @Autowired
    ProjectStore projects;
    @Autowired
    RunningWork runningWork;

    /** A run claimed by this instance, as job-claim leaves it, of a new project with {@code clips} 1 s clips. */
    private String claimedRun(int clips) throws Exception {
        String accountId = newAccount("project-run-" + Ids.newId()).accountId();
        String projectId = Ids.newId();
        projects.insertProject(new ProjectStore.NewProject(projectId, accountId, "route test", true, "720p", "16:9",
                null, 0.0, false));
        Path dir = Files.createTempDirectory(dataDir, "project-");
        for (int i = 0; i < clips; i++) {
            String imageKey = "projects/" + projectId + "/clip-" + i + ".png";
            storage.put(imageKey, TestMedia.png(dir, 320, 240), "image/png");
            projects.addClip(Ids.newId(), projectId, imageKey, 320, 240, "slow zoom in", 1.0);
        }
        String runId = "run_" + Ids.newId();
        assertThat(projects.startRun(new ProjectStore.NewRun(runId, projectId, accountId, "route-test-token-hash",
                Instant.now().plus(1, ChronoUnit.HOURS), "local"))).isEqualTo(ProjectStore.StartOutcome.STARTED);
        assertThat(claimAs(runId, runningWork.instanceId(), Duration.ofMinutes(1)).claimed()).isTrue();
        return runId;
    }

    /** The clip made (complete-clip, as an instance records it), its segment in storage. */
    private void clipMade(String runId, int position, int clipCount) throws Exception {
        String segmentKey = "runs/" + runId + "/segments/" + position + ".mp4";
        Path segment = Files.write(Files.createTempFile(dataDir, "segment-", ".mp4"), new byte[] {0, 0, 0, 24});
        storage.put(segmentKey, segment, "video/mp4");
        Exchange made = template.send("direct:complete-clip", exchange -> {
            exchange.setProperty("runId", runId);
            exchange.setProperty("clipPosition", position);
            exchange.setVariable("madeClip", new MadeClip(segmentKey, new BigDecimal("0.10"), BigDecimal.ZERO,
                    clipCount, "Clip " + (position + 1) + " of " + clipCount + " made"));
        });
        assertThat(made.getException()).isNull();
    }

    private Exchange runStep(String runId) {
        return template.send("direct:project-run", exchange -> exchange.setProperty("jobId", runId));
    }

    private List<String> log(String runId) {
        return projects.runLogs(runId).stream().map(JobLogLine::message).toList();
    }

    @Test
    void aNewRunsClipsGoToTheQueueOneMessageEachAndTheRunIsLetGo() throws Exception {
        String runId = claimedRun(3);
        MockEndpoint queue = mock(CLIP_QUEUE);
        queue.expectedMessageCount(3);

        Exchange step = runStep(runId);

        assertThat(step.getException()).isNull();
        queue.assertIsSatisfied();
        assertThat(queue.getExchanges()).extracting(sent -> sent.getMessage().getHeader("clipPosition", Integer.class))
                .containsExactly(0, 1, 2);
        assertThat(queue.getExchanges()).allSatisfy(sent -> {
            assertThat(sent.getMessage().getHeader("runId")).isEqualTo(runId);
            assertThat(sent.getMessage().getBody(String.class)).isEqualTo(runId);
            // the broker drops a clip queued twice by a redelivered run message
            assertThat(sent.getMessage().getHeader("_AMQ_DUPL_ID")).isEqualTo(
                    "clip-" + runId + "-" + sent.getMessage().getHeader("clipPosition"));
        });
        assertThat(step.getProperty("renderPlan")).as("no compile yet").isNull();
        assertThat(jdbc.queryForObject("SELECT claimed_by FROM jobs WHERE id = ?", String.class, runId))
                .as("no instance holds the run while its clips are out").isNull();
        assertThat(jobStore.find(runId).orElseThrow().stage()).isEqualTo("generating");
        assertThat(projects.runClips(runId)).extracting(RunClip::status).containsOnly(RunClip.PENDING);
        assertThat(log(runId)).contains("Clips handed to every instance")
                .anySatisfy(line -> assertThat(line).startsWith("Run started: generating 3 clips"));
    }

    @Test
    void aRunTakenOverQueuesOnlyTheClipsNotYetMade() throws Exception {
        String runId = claimedRun(3);
        clipMade(runId, 1, 3);
        MockEndpoint queue = mock(CLIP_QUEUE);
        queue.expectedMessageCount(2);

        assertThat(runStep(runId).getException()).isNull();

        queue.assertIsSatisfied();
        assertThat(queue.getExchanges()).extracting(sent -> sent.getMessage().getHeader("clipPosition", Integer.class))
                .containsExactly(0, 2);
        assertThat(log(runId)).contains("Clip 2 was already made; reusing it");
    }

    @Test
    void aRunWhoseClipsAreAllMadeGetsItsCompilePlannedAndQueuesNothing() throws Exception {
        String runId = claimedRun(2);
        clipMade(runId, 0, 2);
        clipMade(runId, 1, 2);
        MockEndpoint queue = mock(CLIP_QUEUE);
        queue.expectedMessageCount(0);

        Exchange step = runStep(runId);

        assertThat(step.getException()).isNull();
        queue.assertIsSatisfied();
        PlannedRender plan = step.getProperty("renderPlan", PlannedRender.class);
        assertThat(plan).as("the compile, for video-compile").isNotNull();
        // two 1 s clips joined by a transition shortened to fit them
        assertThat(plan.durationSeconds()).isLessThan(2.0).isGreaterThan(1.0);
        assertThat(plan.progressFrom()).isEqualTo(80);
        Job run = jobStore.find(runId).orElseThrow();
        assertThat(run.stage()).isEqualTo("compiling");
        assertThat(run.progress()).isEqualTo(80);
        assertThat(projects.findRun(runId).map(r -> projects.findProject(r.projectId()).orElseThrow().status()))
                .contains(VideoProject.COMPILING);
        assertThat(log(runId)).contains("Compiling the final video");
    }

    @Test
    void aRunResumedWithAFailedClipFailsWithThatClipsMessageAndQueuesNothing() throws Exception {
        String runId = claimedRun(2);
        // as an instance that died between recording the clip's failure and failing the run leaves it
        jdbc.update("UPDATE run_clips SET status = 'failed', error_message = ? WHERE run_id = ? AND position = 0",
                "Clip 1 failed after 4 attempts: FFmpeg exited with code 1", runId);
        MockEndpoint queue = mock(CLIP_QUEUE);
        queue.expectedMessageCount(0);

        Exchange step = runStep(runId);

        queue.assertIsSatisfied();
        // job-orchestrate's failure handling fails the run with the clip's error (the route's exception wraps it)
        assertThat(step.getException()).hasRootCauseInstanceOf(ClipGenerationException.class)
                .hasRootCauseMessage("Clip 1 failed after 4 attempts: FFmpeg exited with code 1");
    }
}
