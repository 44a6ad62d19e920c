package dev.reelroute.project;

import dev.reelroute.media.Fixtures;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Renders a segment as project-clip does: FFmpeg fits the canvases, then encodes SegmentFrames from its stdin. */
public final class SegmentRenders {
    private SegmentRenders() {}

    public static void render(ProjectCommands commands, SegmentRender render) throws IOException {
        Fixtures.run(commands.segmentCanvases(render));
        Path errors = Files.createTempFile("segment", ".stderr");
        try {
            Process encode = new ProcessBuilder(commands.segment(render))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(errors.toFile())
                    .start();
            try (InputStream frames = commands.segmentFrames(render); OutputStream stdin = encode.getOutputStream()) {
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
