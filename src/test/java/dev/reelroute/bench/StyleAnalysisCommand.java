package dev.reelroute.bench;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.styletransfer.StyleAnalysisCommands;
import dev.reelroute.styletransfer.StyleAnalysisRender;
import dev.reelroute.styletransfer.StyleProperties;

/**
 * For bench/style-analysis.sh: prints, one argument per line, the style analysis command the service runs for a
 * video with the default settings ({@code command}), or the StyleJSON that run wrote ({@code read}).
 * Usage: StyleAnalysisCommand VIDEO WORK_DIR command|read
 */
public final class StyleAnalysisCommand {
    private StyleAnalysisCommand() {}

    public static void main(String[] args) throws Exception {
        FfmpegBinaries binaries = BenchBinaries.quiet();
        Path video = Path.of(args[0]);
        Path work = Path.of(args[1]);
        var render = new StyleAnalysisRender(binaries.ffmpeg(), video, new MediaProbe(binaries).probe(video), work,
                work.resolve("ffmpeg-progress.txt"));
        StyleAnalysisCommands commands = new StyleAnalysisCommands(StyleProperties.DEFAULTS);
        if ("read".equals(args[2])) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(commands.read(render, render.probe())));
        } else {
            commands.analyze(render).forEach(System.out::println);
        }
    }
}
