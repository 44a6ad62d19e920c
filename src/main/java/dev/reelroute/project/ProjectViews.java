package dev.reelroute.project;

import dev.reelroute.web.Timestamps;
import dev.reelroute.api.JobViews;
import dev.reelroute.job.JobLogLine;
import dev.reelroute.storage.LinkSigner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/** The JSON shapes of the video projects API. Links are minted fresh on every read. */
@Component
public class ProjectViews {
    private final LinkSigner links;

    public ProjectViews(LinkSigner links) {
        this.links = links;
    }

    public Map<String, Object> project(VideoProject p, List<ProjectClip> clips) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", p.id());
        view.put("name", p.name());
        view.put("status", p.status());
        view.put("transitionsEnabled", p.transitionsEnabled());
        view.put("resolution", p.resolution());
        view.put("aspectRatio", p.aspectRatio());
        view.put("backgroundMusicUrl", p.musicKey() == null ? null : links.signedUrl(p.musicKey()));
        view.put("musicVolume", p.musicVolume());
        view.put("ambientAudioEnabled", p.ambientEnabled());
        view.put("finalVideoUrl", p.finalVideoKey() == null || !p.status().equals(VideoProject.COMPLETED)
                ? null : links.signedUrl(p.finalVideoKey()));
        view.put("thumbnailUrl", p.thumbnailKey() == null || !p.status().equals(VideoProject.COMPLETED)
                ? null : links.signedUrl(p.thumbnailKey()));
        view.put("errorMessage", p.errorMessage());
        view.put("totalCost", p.totalCost());
        view.put("currentRunId", p.currentRunId());
        view.put("clips", clips.stream().map(this::clip).toList());
        view.put("createdAt", Timestamps.iso(p.createdAt()));
        view.put("updatedAt", Timestamps.iso(p.updatedAt()));
        return view;
    }

    public Map<String, Object> clip(ProjectClip c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", c.id());
        view.put("position", c.position());
        view.put("imageUrl", links.signedUrl(c.imageKey()));
        view.put("motionPrompt", c.motionPrompt());
        view.put("durationSeconds", c.durationSeconds());
        return view;
    }

    /** What the public access token shows: this run's progress, and nothing else of the account. */
    public Map<String, Object> run(ProjectRun run, List<RunClip> clips, List<JobLogLine> logs, VideoProject project) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("runId", run.id());
        view.put("videoProjectId", run.projectId());
        view.put("status", run.status());
        view.put("progress", run.progress());
        view.put("stage", run.stage());
        view.put("clips", clips.stream().map(c -> {
            Map<String, Object> clip = new LinkedHashMap<>();
            clip.put("position", c.position());
            clip.put("clipId", c.clipId());
            clip.put("status", c.status());
            clip.put("attempts", c.attempts());
            clip.put("cost", c.clipCost());
            clip.put("transitionCost", c.transitionCost());
            clip.put("errorMessage", c.errorMessage());
            return clip;
        }).toList());
        view.put("logs", logs.stream().map(line -> Map.of(
                "timestamp", Timestamps.iso(line.timestamp()), "level", line.level(), "message", line.message()))
                .toList());
        view.put("cost", run.cost());
        view.put("finalVideoUrl", run.status().equals(VideoProject.COMPLETED) && project.finalVideoKey() != null
                && run.id().equals(project.currentRunId()) ? links.signedUrl(project.finalVideoKey()) : null);
        view.put("errorMessage", run.errorMessage());
        view.put("createdAt", Timestamps.iso(run.createdAt()));
        view.put("updatedAt", Timestamps.iso(run.updatedAt()));
        view.put("completedAt", Timestamps.iso(run.completedAt()));
        return view;
    }
}
