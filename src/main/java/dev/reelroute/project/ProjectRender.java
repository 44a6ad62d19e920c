package dev.reelroute.project;

import dev.reelroute.config.ReelrouteProperties;
import dev.reelroute.config.WorkDirs;
import dev.reelroute.job.Job;
import dev.reelroute.job.JobStore;
import dev.reelroute.job.PlannedRender;
import dev.reelroute.job.RunningWork;
import dev.reelroute.job.WorkClaim;
import dev.reelroute.job.WorkStoppedException;
import dev.reelroute.media.AmbientBed;
import dev.reelroute.media.CameraWarp;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.FrameJpeg;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.MotionPromptParser;
import dev.reelroute.media.ParsedMotion;
import dev.reelroute.media.RenderSize;
import dev.reelroute.storage.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The Java steps of a project run that the routes call (its database stages are camel-sql steps of their own,
 * project-run-stages.camel.yaml): fit the run's images to the frame once and store the canvases, make and store the
 * soundtrack while the clips render, put the clips on the clip queue, hold a clip taken from it (on any instance: its
 * canvases come from storage), give it its FFmpeg arguments and store its segment (and, for the first clip, the run's
 * thumbnail), build the compile, and the run's log lines and time limit. Each clip's segment is stored as soon as it
 * is made, so a clip whose message comes again is not made again.
 */
@Component("projectRender")
public class ProjectRender {
    private static final int FPS = 25;
    /** Images fitted by one FFmpeg run: as many as a clip's own render fitted before the run fitted them all. */
    static final int IMAGES_PER_FIT = 2;
    private static final Logger log = LoggerFactory.getLogger(ProjectRender.class);

    private final ProjectStore store;
    private final Storage storage;
    private final FfmpegBinaries binaries;
    private final ProjectCommands commands;
    private final MotionPromptParser motions;
    private final ReelrouteProperties properties;
    private final Clock clock;
    private final WorkDirs workDirs;
    private final RunningWork runningWork;
    private final ClipLeases clipLeases;
    private final JobStore jobs;

    public ProjectRender(ProjectStore store, Storage storage, FfmpegBinaries binaries, ProjectCommands commands,
                         MotionPromptParser motions, ReelrouteProperties properties,
                         Clock clock, WorkDirs workDirs, RunningWork runningWork, ClipLeases clipLeases,
                         JobStore jobs) {
        this.jobs = jobs;
        this.store = store;
        this.storage = storage;
        this.binaries = binaries;
        this.commands = commands;
        this.motions = motions;
        this.properties = properties;
        this.clock = clock;
        this.workDirs = workDirs;
        this.runningWork = runningWork;
        this.clipLeases = clipLeases;
    }

    /**
     * The run's job was claimed by job-orchestrate (queued, handed back for its compile, or taken over from a worker
     * that died: then its clips already made are kept): says so in its log.
     */
    public void claimed(String runId) {
        if (jobs.find(runId).map(Job::retries).orElse(0) > 0) {
            store.appendRunLog(runId, "WARN", "Resuming: the worker running it stopped; clips already made are reused");
        } else if (store.runClips(runId).stream().allMatch(clip -> RunClip.PENDING.equals(clip.status())
                && clip.attempts() == 0)) {
            store.appendRunLog(runId, "INFO", "Run started: generating " + store.runClips(runId).size() + " clips, "
                    + properties.projects().clipConcurrency() + " at a time on each instance");
        }
    }

    private VideoProject projectOf(String runId) {
        return store.findProject(store.findRun(runId).orElseThrow().projectId()).orElseThrow();
    }

    private Path workDir(String runId) throws IOException {
        return workDirs.create(runId);
    }

    /** The project's transitions, shortened where its clips are too short for the configured length. */
    private double transitionSeconds(VideoProject project, List<RunClip> clips) {
        return !project.transitionsEnabled() ? 0 : ProjectCommands.fittingTransitionSeconds(
                clips.stream().map(RunClip::durationSeconds).toList(), properties.projects().transitionSeconds(), FPS);
    }

    static RenderSize size(String resolution, String aspectRatio) {
        int shortSide = "1080p".equals(resolution) ? 1080 : 720;
        int longSide = "1080p".equals(resolution) ? 1920 : 1280;
        return switch (aspectRatio) {
            case "9:16" -> new RenderSize(shortSide, longSide);
            case "1:1" -> new RenderSize(shortSide, shortSide);
            default -> new RenderSize(longSide, shortSide);
        };
    }

    /**
     * The positions of the clips to put on the clip queue: the ones not made yet (a run claimed again skips the ones
     * already stored). A run out of time, or with a failed clip, fails here instead.
     */
    public List<Integer> clipsToQueue(String runId) {
        checkDeadline(runId);
        VideoProject project = projectOf(runId);
        List<RunClip> clips = store.runClips(runId);
        for (RunClip clip : clips) {
            if (RunClip.FAILED.equals(clip.status())) {
                throw new ClipGenerationException(clip.errorMessage() != null ? clip.errorMessage()
                        : "Clip " + (clip.position() + 1) + " was not generated");
            }
        }
        double transition = transitionSeconds(project, clips);
        double wanted = project.transitionsEnabled() ? properties.projects().transitionSeconds() : 0;
        if (transition < wanted) {
            store.appendRunLog(runId, "WARN", transition == 0
                    ? "Transitions left out: the clips are too short for any"
                    : String.format(java.util.Locale.ROOT, "Transitions shortened to %.2f s to fit the shortest clips",
                            transition));
        }
        List<Integer> positions = new ArrayList<>();
        for (RunClip clip : clips) {
            ParsedMotion motion = motions.parse(clip.motionPrompt());
            if (!motion.recognized()) {
                store.appendRunLog(runId, "INFO", "Clip " + (clip.position() + 1) + ": " + motion.description());
            }
            if (made(clip)) {
                store.appendRunLog(runId, "INFO", "Clip " + (clip.position() + 1) + " was already made; reusing it");
            } else {
                positions.add(clip.position());
            }
        }
        return positions;
    }

    /**
     * When the run's time limit ends (from its start): its lease while its clips are on the queue and no instance
     * holds it (run-clips-queued).
     */
    public Timestamp runDeadline(String runId) {
        return Timestamp.from(startOf(store.findRun(runId).orElseThrow()).plus(properties.projects().maxRunDuration()));
    }

    /** Whether this instance is rendering the clip (its message came again while it ran here). */
    public boolean rendersClip(String runId, int position) {
        return runningWork.isWorkingOn(new ClipWork(runId, position).workId());
    }

    /**
     * A clip from the queue that take-clip's conditional UPDATE just took for this instance, held (the watchdog stops
     * it when its run ends elsewhere or runs out of time) until its exchange is done: its task, with its images
     * fetched from storage into its own scratch directory. A clip another instance had started (that instance died)
     * is taken over; past max-takeovers this throws, and the clip fails.
     */
    public ClipTask holdTakenClip(String runId, int position, int takeovers, Exchange exchange) throws IOException {
        ProjectRun run = store.findRun(runId).orElse(null);
        ClipWork work = new ClipWork(runId, position);
        WorkClaim claim = runningWork.holdClaimed(work.workId(), new WorkClaim(true, takeovers), clipLeases,
                properties.projects().maxRunDuration(), spentOn(run), "run", exchange);
        if (claim.takenOver()) {
            store.appendRunLog(runId, "WARN", "Resuming clip " + (position + 1)
                    + ": the instance rendering it stopped; clips already made are reused");
        }
        return clipTask(runId, position, workDirs.create(work.workId()));
    }

    /** This instance is done with the clip, whichever way: its scratch files go. */
    public void clipDone(String runId, int position) throws IOException {
        workDirs.delete(new ClipWork(runId, position).workId());
    }

    /** The tasks of the clips not made yet, each as {@link #holdTakenClip} builds it. */
    public List<ClipTask> clipTasks(String runId) throws IOException {
        List<ClipTask> tasks = new ArrayList<>();
        for (RunClip clip : store.runClips(runId)) {
            if (!made(clip)) {
                tasks.add(clipTask(runId, clip.position(), workDirs.create(new ClipWork(runId, clip.position())
                        .workId())));
            }
        }
        return tasks;
    }

    /**
     * One clip's task: its spec and the next clip's (for the transition), and the canvases it needs, fetched from
     * storage into {@code workDir}.
     */
    private ClipTask clipTask(String runId, int position, Path workDir) throws IOException {
        VideoProject project = projectOf(runId);
        List<RunClip> clips = store.runClips(runId);
        double transition = transitionSeconds(project, clips);
        ClipSpec next = position + 1 < clips.size() ? spec(clips.get(position + 1)) : null;
        boolean crossfade = next != null && transition > 0;
        return new ClipTask(runId, position, clips.size(), spec(clips.get(position)), next, transition,
                size(project.resolution(), project.aspectRatio()),
                storage.localFile(canvasKey(runId, position), workDir),
                crossfade ? storage.localFile(canvasKey(runId, position + 1), workDir) : null,
                workDir.resolve("segment-" + position + ".mp4"), workDir.resolve("segment-" + position + ".progress"));
    }

    /** A clip as its segment sees it: its image is already its canvas. */
    private ClipSpec spec(RunClip clip) {
        return new ClipSpec(null, new ImageDimensions(clip.imageWidth(), clip.imageHeight()), clip.durationSeconds(),
                motions.parse(clip.motionPrompt()).motion());
    }

    // ---- the run's canvases: every image fitted to the frame once, before its clips are queued ----

    static String canvasKey(String runId, int position) {
        return "runs/" + runId + "/canvases/" + position + ".yuv";
    }

    private static Path canvasFile(Path workDir, int position) {
        return workDir.resolve("canvas-" + position + ".yuv");
    }

    /**
     * The clips whose canvases the clips still to make need: each of them, and the clip after it when a crossfade
     * leads into that one.
     */
    private List<RunClip> clipsToFit(String runId) {
        VideoProject project = projectOf(runId);
        List<RunClip> clips = store.runClips(runId);
        boolean crossfades = transitionSeconds(project, clips) > 0;
        List<RunClip> needed = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            boolean showsIt = !made(clips.get(i));
            boolean fadesIntoIt = crossfades && i > 0 && !made(clips.get(i - 1));
            if (showsIt || fadesIntoIt) {
                needed.add(clips.get(i));
            }
        }
        return needed;
    }

    /**
     * The arguments of the FFmpeg runs that fit the images the run's clips need, {@link #IMAGES_PER_FIT} a run
     * (ProjectCommands.canvases): a run holds its images decoded, and an image may have 50 megapixels, so no run
     * holds more than a clip's own render used to, whatever the number of clips.
     */
    public List<List<String>> canvasArguments(String runId) throws IOException {
        VideoProject project = projectOf(runId);
        RenderSize size = size(project.resolution(), project.aspectRatio());
        Path workDir = workDir(runId);
        List<FfmpegCommands.Canvas> canvases = new ArrayList<>();
        for (RunClip clip : clipsToFit(runId)) {
            canvases.add(new FfmpegCommands.Canvas(storage.localFile(clip.imageKey(), workDir),
                    new ImageDimensions(clip.imageWidth(), clip.imageHeight()), FitMode.AUTO,
                    canvasFile(workDir, clip.position())));
        }
        List<List<String>> runs = new ArrayList<>();
        for (int from = 0; from < canvases.size(); from += IMAGES_PER_FIT) {
            runs.add(arguments(commands.canvases(binaries.ffmpeg(), properties.projects().renderThreads(), size, FPS,
                    canvases.subList(from, Math.min(canvases.size(), from + IMAGES_PER_FIT)))));
        }
        return runs;
    }

    /** Stores the canvases {@link #canvasArguments}' runs wrote, for the clips to fetch on any instance. */
    public void storeCanvases(String runId) throws IOException {
        Path workDir = workDir(runId);
        for (RunClip clip : clipsToFit(runId)) {
            Path canvas = canvasFile(workDir, clip.position());
            if (Files.exists(canvas)) { // a clip made meanwhile (a run claimed again) may have dropped out of the list
                storage.put(canvasKey(runId, clip.position()), canvas, "application/octet-stream");
            }
        }
    }

    /** Once every segment is made, the canvases go (raw frames: megabytes each); one that stays is only logged. */
    public void dropCanvases(String runId) {
        List<String> keys = store.runClips(runId).stream().map(clip -> canvasKey(runId, clip.position())).toList();
        storage.deleteEach(keys, (key, failure) -> log.warn("Could not delete the canvas {}: {}", key,
                failure.getMessage()));
    }

    /** Before an attempt at the clip (start-clip then records it): throws when the run has run out of time. */
    public void clipStarting(ClipTask task) {
        checkDeadline(task.runId(), new ClipWork(task.runId(), task.position()).workId());
    }

    /** The arguments of the clip's FFmpeg run: the encode of {@link #segmentFrames} (ProjectCommands.segment). */
    public List<String> segmentArguments(ClipTask task) {
        return arguments(commands.segment(segmentRender(task)));
    }

    /** The segment's frames, for the encode's stdin, from the canvases the run fitted. */
    public SegmentFrames segmentFrames(ClipTask task) throws IOException {
        return commands.segmentFrames(segmentRender(task), task.canvas(), task.nextCanvas());
    }

    private SegmentRender segmentRender(ClipTask task) {
        return new SegmentRender(binaries.ffmpeg(), task.clip(), task.next(), task.first(), task.transitionSeconds(),
                task.size(), FPS, properties.projects().renderThreads(), task.segment(),
                task.progressFile());
    }

    /** exec: takes the program and its arguments apart. */
    private static List<String> arguments(List<String> command) {
        return List.copyOf(command.subList(1, command.size()));
    }

    /** Stores the segment: what complete-clip records, its costs (and its transition's) and its log line. */
    public MadeClip storeClip(ClipTask task) throws IOException {
        String key = "runs/" + task.runId() + "/segments/" + task.position() + ".mp4";
        storage.put(key, task.segment(), "video/mp4");
        BigDecimal rate = properties.projects().localCostPerSecond();
        BigDecimal clipCost = rate.multiply(BigDecimal.valueOf(task.clip().durationSeconds()))
                .setScale(4, RoundingMode.HALF_UP);
        BigDecimal transitionCost = task.hasTransition()
                ? rate.multiply(BigDecimal.valueOf(task.transitionSeconds())).setScale(4, RoundingMode.HALF_UP)
                : BigDecimal.ZERO;
        return new MadeClip(key, clipCost, transitionCost, task.clipCount(), "Clip " + (task.position() + 1) + " of "
                + task.clipCount() + " made" + (task.hasTransition() ? " with its transition into the next" : ""));
    }

    static String thumbnailKey(String runId) {
        return "runs/" + runId + "/thumbnail.jpg";
    }

    /**
     * The run's thumbnail, by the first clip: the video's first frame is its first, so it is made here from the
     * canvas as a JPEG and stored, and the compile has no FFmpeg run to start for it.
     */
    public void storeThumbnail(ClipTask task) throws IOException {
        byte[] first;
        try (InputStream frames = segmentFrames(task)) {
            first = frames.readNBytes(CameraWarp.frameBytes(task.size()));
        }
        Path thumbnail = task.segment().resolveSibling("thumbnail.jpg");
        FrameJpeg.write(first, task.size(), thumbnail);
        storage.put(thumbnailKey(task.runId()), thumbnail, "image/jpeg");
    }

    /** Called by the redelivery policy before a failed clip is tried again. */
    public void clipRetrying(Exchange exchange) {
        ClipTask task = exchange.getMessage().getBody(ClipTask.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (task == null) {
            task = exchange.getProperty("clipTask", ClipTask.class);
        }
        if (task != null) {
            // the retried attempt counts itself (clipStarting); this only says why it is needed
            store.appendRunLog(task.runId(), "WARN", "Clip " + (task.position() + 1) + " failed (" + describe(cause)
                    + "); retrying");
        }
    }

    /**
     * A clip failed all its attempts, or was stopped: its message, which fail-clip records on the clip and the run
     * fails with (the watchdogs of the other instances then stop the run's clips they render).
     */
    public String clipFailure(ClipTask task, Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause instanceof WorkStoppedException stopped) {
            return stopped.getMessage();
        }
        int attempts = store.runClips(task.runId()).get(task.position()).attempts();
        return "Clip " + (task.position() + 1) + " failed after " + attempts
                + (attempts == 1 ? " attempt: " : " attempts: ") + describe(cause);
    }

    /** Once a clip has failed, clips not yet started are not generated: the run is going to fail anyway. */
    public boolean runHasFailedClip(String runId) {
        return store.runClips(runId).stream().anyMatch(c -> RunClip.FAILED.equals(c.status()));
    }

    /** Whether every clip of the run is made: its message is then the compile's. */
    public boolean allClipsMade(String runId) {
        return store.runClips(runId).stream().allMatch(ProjectRender::made);
    }

    private static boolean made(RunClip clip) {
        return RunClip.COMPLETED.equals(clip.status()) && clip.segmentKey() != null;
    }

    /** Before the run's compile (run-compiling then records it): throws when the run is out of time or stopped. */
    public void compiling(String runId) {
        checkDeadline(runId);
    }

    /** Where a run's soundtrack is stored once made ahead of its compile. */
    static String soundtrackKey(String runId) {
        return "runs/" + runId + "/soundtrack.m4a";
    }

    /** Whether the run's soundtrack is still to be made (a run claimed again may have it already). */
    public boolean soundtrackMissing(String runId) throws IOException {
        return storage.open(soundtrackKey(runId)).isEmpty();
    }

    /**
     * The arguments of the FFmpeg run that makes the run's soundtrack while its clips render (its music, the ambient
     * bed its prompts pick, the fade-out), into the run's scratch directory for {@link #storeSoundtrack}.
     */
    public List<String> soundtrackArguments(String runId) throws IOException {
        VideoProject project = projectOf(runId);
        List<RunClip> clips = store.runClips(runId);
        Path workDir = workDir(runId);
        return arguments(commands.soundtrack(new SoundtrackRender(binaries.ffmpeg(), totalSeconds(project, clips),
                music(project, workDir), project.musicVolume(), ambient(project, clips), soundtrackFile(workDir))));
    }

    /** Stores what {@link #soundtrackArguments}' run wrote, for the compile to copy. */
    public void storeSoundtrack(String runId) throws IOException {
        storage.put(soundtrackKey(runId), soundtrackFile(workDir(runId)), "audio/mp4");
    }

    private static Path soundtrackFile(Path workDir) {
        return workDir.resolve("soundtrack-ahead.m4a");
    }

    private double totalSeconds(VideoProject project, List<RunClip> clips) {
        return ProjectCommands.totalSeconds(clips.stream().map(RunClip::durationSeconds).toList(),
                transitionSeconds(project, clips));
    }

    /** The project's music fetched into {@code workDir}; null when it has none. */
    private Path music(VideoProject project, Path workDir) throws IOException {
        return project.musicKey() == null ? null : storage.localFile(project.musicKey(), workDir);
    }

    /** The ambient bed the clips' prompts pick; null when the project has it off. */
    private static AmbientBed ambient(VideoProject project, List<RunClip> clips) {
        return !project.ambientEnabled() ? null
                : AmbientBed.pick(clips.stream().map(RunClip::motionPrompt).filter(Objects::nonNull).toList());
    }

    /**
     * The run's compile, a render like every job kind's last one (video-compile runs it, follows its progress and
     * stores it with the thumbnail the first clip made, or takes the thumbnail when that is not stored): the segments
     * joined (stream copy) with the soundtrack under them, as it was made while the clips rendered or, when that is
     * not stored (it failed, or is not done yet), mixed here from the music and the ambient bed; over the run's
     * progress from 80 to 90.
     */
    public PlannedRender compilePlan(String runId) throws IOException {
        VideoProject project = projectOf(runId);
        List<RunClip> clips = store.runClips(runId);
        Path workDir = workDir(runId);
        List<Path> segments = new ArrayList<>();
        for (RunClip clip : clips) {
            segments.add(storage.localFile(Objects.requireNonNull(clip.segmentKey(), "segment missing"), workDir));
        }
        Path concatList = workDir.resolve("segments.txt");
        Files.writeString(concatList, ProjectCommands.concatListContent(segments));
        double total = totalSeconds(project, clips);
        AmbientBed ambient = ambient(project, clips);
        if (ambient != null) {
            store.appendRunLog(runId, "INFO", "Ambient audio: a synthesized " + ambient.name().toLowerCase()
                    .replace('_', ' ') + " bed, picked from the motion prompts");
        }
        Path soundtrack = storedFile(soundtrackKey(runId), workDir);
        Path output = workDir.resolve("final.mp4");
        Path progress = workDir.resolve("final.progress");
        Path thumbnail = workDir.resolve("thumbnail.jpg");
        Path madeThumbnail = storedFile(thumbnailKey(runId), workDir);
        if (madeThumbnail != null) { // a copy: what store-job-outputs stores may be moved away
            Files.copy(madeThumbnail, thumbnail, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = commands.compile(soundtrack != null
                ? new CompileRender(binaries.ffmpeg(), segments, concatList, total, null, project.musicVolume(), null,
                        soundtrack, output, progress)
                : new CompileRender(binaries.ffmpeg(), segments, concatList, total, music(project, workDir),
                        project.musicVolume(), ambient, null, output, progress));
        return new PlannedRender(binaries.ffmpeg(), command.subList(1, command.size()),
                size(project.resolution(), project.aspectRatio()), total, output, thumbnail, progress, "Completed",
                null, 80, 90, madeThumbnail != null);
    }

    /** The stored object as a local file for FFmpeg; null when nothing is stored under {@code key}. */
    private Path storedFile(String key, Path workDir) throws IOException {
        return storage.open(key).isPresent() ? storage.localFile(key, workDir) : null;
    }

    public String ffmpeg() {
        return binaries.ffmpeg();
    }

    private void checkDeadline(String runId) {
        checkDeadline(runId, runId);
    }

    /** Throws when the run is out of time, or when the work ({@code workId}: the run's or one clip's) was stopped. */
    private void checkDeadline(String runId, String workId) {
        ProjectRun run = store.findRun(runId).orElseThrow();
        if (clock.instant().isAfter(startOf(run).plus(properties.projects().maxRunDuration()))) {
            throw new WorkStoppedException(RunningWork.StopReason.TIMED_OUT,
                    RunningWork.timeLimitMessage("run", properties.projects().maxRunDuration()));
        }
        runningWork.ensureRunning(workId);
    }

    /** How much of its time limit the run has used: none before it started. */
    private Duration spentOn(ProjectRun run) {
        if (run == null || run.startedAt() == null) {
            return Duration.ZERO;
        }
        Duration spent = Duration.between(run.startedAt(), clock.instant());
        return spent.isNegative() ? Duration.ZERO : spent;
    }

    private static Instant startOf(ProjectRun run) {
        return run.startedAt() == null ? run.createdAt() : run.startedAt();
    }

    private static String describe(Throwable cause) {
        if (cause instanceof ExecException exec) {
            return "FFmpeg exited with code " + exec.getExitValue();
        }
        return cause == null ? "unknown error" : cause.getClass().getSimpleName();
    }
}
