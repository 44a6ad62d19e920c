package dev.reelroute.project;

import dev.reelroute.media.FfmpegCommands;
import dev.reelroute.media.Fixtures;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.RenderSize;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders a segment as a run does: FFmpeg fits the images to canvases (project-run), then encodes SegmentFrames from
 * its stdin (project-clip).
 */
public final class SegmentRenders {
    private SegmentRenders() {}

    /**
     * The segment's canvases, fitted as project-run fits a run's, beside its output: its clip's, and the next clip's
     * when it has one (null otherwise).
     */
    public static Path[] canvases(ProjectCommands commands, SegmentRender render) throws IOException {
        List<FfmpegCommands.Canvas> canvases = new ArrayList<>();
        for (ClipSpec clip : render.next() != null ? List.of(render.clip(), render.next()) : List.of(render.clip())) {
            canvases.add(new FfmpegCommands.Canvas(clip.image(), clip.imageSize(), FitMode.AUTO,
                    render.output().resolveSibling(render.output().getFileName() + ".canvas" + canvases.size()
                            + ".yuv")));
        }
        Fixtures.run(commands.canvases(Fixtures.FFMPEG, 1, render.size() != null ? render.size() : RenderSize.DEFAULT,
                render.fps(), canvases));
        return new Path[] {canvases.get(0).output(), canvases.size() > 1 ? canvases.get(1).output() : null};
    }

    public static void render(ProjectCommands commands, SegmentRender render) throws IOException {
        Path[] canvases = canvases(commands, render);
        Path errors = Files.createTempFile("segment", ".stderr");
        try {
            Process encode = new ProcessBuilder(commands.segment(render))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile())
                    .start();
            try (InputStream frames = commands.segmentFrames(render, canvases[0], canvases[1]);
                 OutputStream stdin = encode.getOutputStream()) {
                frames.transferTo(stdin);
            }
            assertThat(encode.waitFor(120, TimeUnit.SECONDS)).as("encode finished").isTrue();
            assertThat(encode.exitValue()).as(Files.readString(errors, StandardCharsets.UTF_8)).isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
