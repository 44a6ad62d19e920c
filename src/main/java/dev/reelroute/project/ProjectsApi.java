package dev.reelroute.project;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.web.ApiException;
import dev.reelroute.web.ApiPrincipals;
import dev.reelroute.web.UploadChecks;
import dev.reelroute.web.Uploads;
import dev.reelroute.config.Ids;
import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.security.Secrets;
import dev.reelroute.storage.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** The video projects API: projects, their clips, and triggering a run. */
@Component("projectsApi")
public class ProjectsApi {
    static final String NOT_FOUND = "Video project not found";
    private static final Set<String> RESOLUTIONS = Set.of("720p", "1080p");
    private static final Set<String> ASPECT_RATIOS = Set.of("16:9", "9:16", "1:1");

    private final ProjectStore projects;
    private final ProjectViews views;
    private final UploadChecks checks;
    private final Storage storage;
    private final ReelrouteProperties.Projects settings;
    private final Clock clock;

    public ProjectsApi(ProjectStore projects, ProjectViews views, UploadChecks checks, Storage storage,
                       ReelrouteProperties properties, Clock clock) {
        this.projects = projects;
        this.views = views;
        this.checks = checks;
        this.storage = storage;
        this.settings = properties.projects();
        this.clock = clock;
    }

    /** Multipart: name, transitionsEnabled, resolution, aspectRatio, musicVolume, ambientAudioEnabled, music. */
    public Map<String, Object> create(Exchange exchange, @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                      @Header("name") String name, @Header("transitionsEnabled") String transitions,
                                      @Header("resolution") String resolution, @Header("aspectRatio") String aspectRatio,
                                      @Header("musicVolume") String musicVolume,
                                      @Header("ambientAudioEnabled") String ambient) throws IOException {
        Uploads.deleteWhenDone(exchange);
        ProjectSettings settings = settings(name, transitions, resolution, aspectRatio, musicVolume, ambient);
        VideoProject project = create(principal, settings, Uploads.file(exchange, "music").orElse(null));
        return views.project(project, List.of());
    }

    /** A project's settings, checked; absent ones have their defaults. */
    public record ProjectSettings(String name, boolean transitionsEnabled, String resolution, String aspectRatio,
                                  double musicVolume, boolean ambientAudioEnabled) {}

    /** The project fields as the create form gives them (text, or null when absent). */
    public ProjectSettings settings(String name, String transitions, String resolution, String aspectRatio,
                                    String musicVolume, String ambient) {
        String projectName = name == null || name.isBlank() ? "Untitled project" : name.strip();
        if (projectName.length() > 200) {
            throw ApiException.badRequest("name must be at most 200 characters");
        }
        String res = choice(resolution, "720p", RESOLUTIONS, "resolution");
        String aspect = choice(aspectRatio, "16:9", ASPECT_RATIOS, "aspectRatio");
        double volume = number(musicVolume, 0.5, 0, 1, "musicVolume");
        return new ProjectSettings(projectName, bool(transitions, true, "transitionsEnabled"), res, aspect, volume,
                bool(ambient, false, "ambientAudioEnabled"));
    }

    /** Creates the project, with its music when {@code music} is a file (checked as audio first). */
    public VideoProject create(ApiPrincipal principal, ProjectSettings settings, Path music) throws IOException {
        String projectId = "vp_" + Ids.newId();
        String musicKey = null;
        if (music != null) {
            UploadChecks.CheckedAudio checked = checks.audio(music, "music");
            musicKey = "projects/" + projectId + "/music." + checked.kind().extension();
            storage.put(musicKey, checked.file(), checked.kind().mimeType());
        }
        return projects.insertProject(new ProjectStore.NewProject(projectId, principal.accountId(),
                settings.name(), settings.transitionsEnabled(), settings.resolution(), settings.aspectRatio(),
                musicKey, settings.musicVolume(), settings.ambientAudioEnabled()));
    }

    public Map<String, Object> list(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (VideoProject project : projects.listProjects(principal.accountId(), 100)) {
            items.add(views.project(project, projects.clips(project.id())));
        }
        return Map.of("videoProjects", items);
    }

    public Map<String, Object> get(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                   @Header("projectId") String projectId) {
        VideoProject project = own(principal, projectId);
        return views.project(project, projects.clips(project.id()));
    }

    /** Multipart: image (required), motionPrompt, durationSeconds (default 5). */
    public Map<String, Object> addClip(Exchange exchange, @ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                       @Header("projectId") String projectId, @Header("motionPrompt") String prompt,
                                       @Header("durationSeconds") String duration) throws IOException {
        Uploads.deleteWhenDone(exchange);
        VideoProject project = own(principal, projectId);
        requireEditable(project);
        if (projects.countClips(project.id()) >= settings.maxClips()) {
            throw ApiException.badRequest("A project has at most " + settings.maxClips() + " clips");
        }
        ClipSettings clip = clipSettings(prompt, duration);
        Path image = Uploads.file(exchange, "image")
                .orElseThrow(() -> ApiException.badRequest("Missing required file field 'image'"));
        return views.clip(addClip(project, clip, checks.image(image, "image")));
    }

    /** A clip's motion prompt (null: none) and length, checked. */
    public record ClipSettings(String motionPrompt, double durationSeconds) {}

    /** The clip fields as the add-clip form gives them (text, or null when absent). */
    public ClipSettings clipSettings(String prompt, String duration) {
        String motionPrompt = prompt == null || prompt.isBlank() ? null : prompt.strip();
        if (motionPrompt != null && motionPrompt.length() > 500) {
            throw ApiException.badRequest("motionPrompt must be at most 500 characters");
        }
        double seconds = number(duration, settings.clipDefaultSeconds(), settings.clipMinSeconds(),
                settings.clipMaxSeconds(), "durationSeconds");
        return new ClipSettings(motionPrompt, seconds);
    }

    /** The most clips a project may have. */
    public int maxClips() {
        return settings.maxClips();
    }

    /** Appends a clip of an image already checked ({@link UploadChecks#image}). */
    public ProjectClip addClip(VideoProject project, ClipSettings clip, UploadChecks.CheckedImage image)
            throws IOException {
        String clipId = "clip_" + Ids.newId();
        String imageKey = "projects/" + project.id() + "/clips/" + clipId + "." + image.kind().extension();
        storage.put(imageKey, image.file(), image.kind().mimeType());
        return projects.addClip(clipId, project.id(), imageKey, image.size().width(), image.size().height(),
                clip.motionPrompt(), clip.durationSeconds());
    }

    public Map<String, Object> clips(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                     @Header("projectId") String projectId) {
        VideoProject project = own(principal, projectId);
        return Map.of("clips", projects.clips(project.id()).stream().map(views::clip).toList());
    }

    /** JSON {"clipIds": [...]}: every clip of the project, in the new order. */
    public Map<String, Object> reorder(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                       @Header("projectId") String projectId, JsonNode body) {
        VideoProject project = own(principal, projectId);
        requireEditable(project);
        if (body == null || !body.path("clipIds").isArray()) {
            throw ApiException.badRequest("clipIds (an array of every clip id in the new order) is required");
        }
        List<String> ids = new ArrayList<>();
        body.get("clipIds").forEach(id -> ids.add(id.asText()));
        if (!projects.reorder(project.id(), ids)) {
            throw ApiException.badRequest("clipIds must name every clip of the project exactly once");
        }
        return Map.of("clips", projects.clips(project.id()).stream().map(views::clip).toList());
    }

    public Map<String, Object> removeClip(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal,
                                          @Header("projectId") String projectId, @Header("clipId") String clipId)
            throws IOException {
        VideoProject project = own(principal, projectId);
        requireEditable(project);
        String imageKey = projects.removeClip(project.id(), clipId);
        if (imageKey == null) {
            throw ApiException.notFound("Clip not found");
        }
        storage.delete(imageKey);
        return Map.of("success", true, "message", "Clip removed");
    }

    /** The answer to a trigger, and the run to hand to the queue. */
    public record Triggered(String runId, Map<String, Object> answer) {}

    /** JSON {"videoProjectId": "..."}: starts a run, one at a time per project. */
    public Triggered generate(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal, JsonNode body) {
        String projectId = body == null ? null : body.path("videoProjectId").asText(null);
        if (projectId == null || projectId.isBlank()) {
            throw ApiException.badRequest("videoProjectId is required");
        }
        VideoProject project = own(principal, projectId);
        String runId = "run_" + Ids.newId();
        String publicToken = "pat_" + Ids.randomToken(32);
        var outcome = projects.startRun(new ProjectStore.NewRun(runId, project.id(), principal.accountId(),
                Secrets.sha256Hex(publicToken), clock.instant().plus(settings.publicTokenTtl()), settings.provider()));
        switch (outcome) {
            case NO_CLIPS -> throw ApiException.badRequest("No clips to generate");
            case ALREADY_RUNNING -> throw ApiException.conflict("This video project is already being generated");
            default -> { }
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("runId", runId);
        answer.put("publicAccessToken", publicToken);
        answer.put("message", "Video generation started");
        return new Triggered(runId, answer);
    }

    public Map<String, Object> usage(@ExchangeProperty(ApiPrincipals.PROPERTY) ApiPrincipal principal) {
        ProjectStore.Usage usage = projects.usage(principal.accountId());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("videoProjects", usage.projects());
        answer.put("runs", usage.runs());
        answer.put("completedRuns", usage.completedRuns());
        answer.put("totalCost", usage.totalCost());
        return answer;
    }

    private VideoProject own(ApiPrincipal principal, String projectId) {
        if (projectId == null || !projectId.matches("vp_[a-z0-9]{1,32}")) {
            throw ApiException.notFound(NOT_FOUND);
        }
        return projects.findProject(projectId, principal.accountId()).orElseThrow(() -> ApiException.notFound(NOT_FOUND));
    }

    private static void requireEditable(VideoProject project) {
        if (project.status().equals(VideoProject.GENERATING) || project.status().equals(VideoProject.COMPILING)) {
            throw ApiException.conflict("The project's clips can't change while it is being generated");
        }
    }

    private static String choice(String value, String fallback, Set<String> allowed, String field) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (!allowed.contains(value.strip())) {
            throw ApiException.badRequest(field + " must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return value.strip();
    }

    private static double number(String value, double fallback, double min, double max, String field) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value.strip());
            if (parsed >= min && parsed <= max && Double.isFinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // falls through
        }
        throw ApiException.badRequest(field + " must be a number from " + min + " to " + max);
    }

    private static boolean bool(String value, boolean fallback, String field) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "on", "yes" -> true;
            case "false", "0", "off", "no" -> false;
            default -> throw ApiException.badRequest(field + " must be true or false");
        };
    }
}
