package dev.reelroute.api;

import dev.reelroute.web.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.project.ProjectStore;
import dev.reelroute.project.VideoProject;
import dev.reelroute.security.ApiPrincipal;
import dev.reelroute.storage.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Inputs a client names instead of uploading (JMS submissions): an {@code https://} URL, fetched by
 * {@link RemoteInputs}, or the storage key of an input of one of the account's own jobs or video projects (the keys
 * a JMS reply lists under {@code inputs}), copied. Either way the result is a local file of this request alone, which the
 * surface's checks then read like an upload; a copy keeps the new job independent of the old one's deletion.
 */
@Component
public class InputReferences {
    /** jobs/{jobId}/{file}: the keys inputs are stored under. */
    private static final Pattern INPUT_KEY = Pattern.compile("jobs/([a-z0-9]{1,32})/[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** projects/{projectId}/music.{ext} and projects/{projectId}/clips/{clipId}.{ext}: a video project's inputs. */
    private static final Pattern PROJECT_KEY = Pattern.compile(
            "projects/(vp_[a-z0-9]{1,32})/(?:music|clips/clip_[a-z0-9]{1,32})\\.[a-z0-9]{1,8}");

    private final RemoteInputs remote;
    private final JobStore jobs;
    private final ProjectStore projects;
    private final Storage storage;

    public InputReferences(RemoteInputs remote, JobStore jobs, ProjectStore projects, Storage storage) {
        this.remote = remote;
        this.jobs = jobs;
        this.projects = projects;
        this.storage = storage;
    }

    /** The input {@code reference} names, as a new file in {@code dir}. */
    public Path resolve(JsonNode reference, String field, ApiPrincipal principal, Path dir) throws IOException {
        if (reference == null || !reference.isTextual() || reference.asText().isBlank()) {
            throw ApiException.badRequest(field + " must be an https URL or the storage key of one of your inputs");
        }
        String text = reference.asText().strip();
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            return remote.fetch(text, field, dir);
        }
        return storedCopy(text, field, principal, dir);
    }

    private Path storedCopy(String key, String field, ApiPrincipal principal, Path dir) throws IOException {
        // the same answer whether the key is malformed, another account's or gone: nothing about others leaks
        ApiException unknown = ApiException.badRequest(field + " is neither an https URL nor the key of one of "
                + "your stored inputs");
        if (key.contains("..") || !ownInputKeys(key, principal).contains(key) || storage.open(key).isEmpty()) {
            throw unknown;
        }
        // the stored object itself may come back (filesystem storage): it is copied, never handed on to be moved
        Path local = storage.localFile(key, dir);
        Path copy = Files.createTempFile(dir, "input-", ".stored");
        Files.copy(local, copy, StandardCopyOption.REPLACE_EXISTING);
        if (local.toAbsolutePath().startsWith(dir.toAbsolutePath())) {
            Files.deleteIfExists(local);
        }
        return copy;
    }

    /** The input keys of the account's job or project that {@code key} names; none when it names neither. */
    private List<String> ownInputKeys(String key, ApiPrincipal principal) {
        Matcher job = INPUT_KEY.matcher(key);
        if (job.matches()) {
            return jobs.findForAccount(job.group(1), principal.accountId()).map(InputReferences::inputKeys)
                    .orElse(List.of());
        }
        Matcher project = PROJECT_KEY.matcher(key);
        if (project.matches()) {
            return projects.findProject(project.group(1), principal.accountId()).map(this::inputKeys)
                    .orElse(List.of());
        }
        return List.of();
    }

    private List<String> inputKeys(VideoProject project) {
        List<String> keys = new ArrayList<>();
        if (project.musicKey() != null) {
            keys.add(project.musicKey());
        }
        projects.clips(project.id()).forEach(clip -> keys.add(clip.imageKey()));
        return keys;
    }

    private static List<String> inputKeys(Job job) {
        List<String> keys = new ArrayList<>();
        if (job.inputImageKey() != null) {
            keys.add(job.inputImageKey());
        }
        if (job.inputAudioKey() != null) {
            keys.add(job.inputAudioKey());
        }
        if (job.prompt() != null) {
            keys.addAll(job.prompt().inputKeys());
        }
        return keys;
    }
}
