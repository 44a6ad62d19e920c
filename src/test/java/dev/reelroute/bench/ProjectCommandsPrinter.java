package dev.reelroute.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.media.AmbientBed;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.ImageHeaderReader;
import dev.reelroute.media.MediaSniffer;
import dev.reelroute.media.MotionPromptParser;
import dev.reelroute.media.RenderSize;
import dev.reelroute.project.ClipSpec;
import dev.reelroute.project.CompileRender;
import dev.reelroute.project.ProjectCommands;
import dev.reelroute.project.SegmentRender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For bench/breakdown.sh: prints as JSON the FFmpeg commands a project run makes with the default settings (25 fps,
 * 1 s transitions, one thread per clip render, music at 0.5, the ambient bed picked from the prompts): each clip's
 * segment, the compile and the thumbnail, as ProjectRender builds them, with their files under OUT_DIR (the concat
 * list is written there). Usage: ProjectCommandsPrinter OUT_DIR WIDTHxHEIGHT MUSIC CLIP_SECONDS IMAGE PROMPT...
 */
public final class ProjectCommandsPrinter {
    /** ProjectRender's frame rate and the defaults of application.yaml (transition-seconds, render-threads). */
    private static final int FPS = 25;
    private static final double TRANSITION_SECONDS = 1;
    private static final int RENDER_THREADS = 1;
    private static final double MUSIC_VOLUME = 0.5;

    private ProjectCommandsPrinter() {}

    public static void main(String[] args) throws Exception {
        FfmpegBinaries binaries = BenchBinaries.quiet();
        Path out = Files.createDirectories(Path.of(args[0]));
        String[] size = args[1].split("x");
        RenderSize renderSize = new RenderSize(Integer.parseInt(size[0]), Integer.parseInt(size[1]));
        Path music = Path.of(args[2]);
        double clipSeconds = Double.parseDouble(args[3]);
        List<ClipSpec> clips = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        for (int i = 4; i + 1 < args.length; i += 2) {
            Path image = Path.of(args[i]);
            var kind = new MediaSniffer().sniff(image).orElseThrow();
            clips.add(new ClipSpec(image, new ImageHeaderReader().read(image, kind), clipSeconds,
                    new MotionPromptParser().parse(args[i + 1]).motion()));
            prompts.add(args[i + 1]);
        }
        List<Double> durations = clips.stream().map(ClipSpec::durationSeconds).toList();
        double transition = ProjectCommands.fittingTransitionSeconds(durations, TRANSITION_SECONDS, FPS);
        ProjectCommands commands = new ProjectCommands();
        List<List<String>> segments = new ArrayList<>();
        List<Path> segmentFiles = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            Path segment = out.resolve("segment-" + i + ".mp4");
            segmentFiles.add(segment);
            segments.add(commands.segment(new SegmentRender(binaries.ffmpeg(), clips.get(i),
                    i + 1 < clips.size() ? clips.get(i + 1) : null, i == 0, transition, renderSize, FPS, FitMode.AUTO,
                    RENDER_THREADS, segment, out.resolve("segment-" + i + ".progress"))));
        }
        Path concatList = out.resolve("segments.txt");
        Files.writeString(concatList, ProjectCommands.concatListContent(segmentFiles));
        double total = ProjectCommands.totalSeconds(durations, transition);
        Path video = out.resolve("final.mp4");
        Map<String, Object> printed = new LinkedHashMap<>();
        printed.put("segments", segments);
        printed.put("compile", commands.compile(new CompileRender(binaries.ffmpeg(), segmentFiles, concatList, total,
                music, MUSIC_VOLUME, AmbientBed.pick(prompts), video, out.resolve("final.progress"))));
        printed.put("thumbnail", FfmpegCommands.thumbnail(binaries.ffmpeg(), video, out.resolve("thumbnail.jpg")));
        printed.put("totalSeconds", total);
        System.out.println(new ObjectMapper().writeValueAsString(printed));
    }
}
