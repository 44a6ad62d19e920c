package dev.reelroute.bench;

import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.FfmpegBinaries;
import dev.reelroute.imageaudio.ImageAudioCommands;
import dev.reelroute.media.FitMode;
import dev.reelroute.imageaudio.ImageAudioRender;
import dev.reelroute.media.ImageHeaderReader;
import dev.reelroute.media.MediaProbe;
import dev.reelroute.media.MediaSniffer;
import dev.reelroute.media.RenderSize;
import java.nio.file.Path;

/**
 * For bench/run.sh: prints, one argument per line, an FFmpeg command the service runs for an image + audio job
 * with the default settings (the render, or the thumbnail taken from its output), so the benchmark can run the
 * very same commands straight from the shell. Usage: RenderCommand IMAGE AUDIO OUT_DIR render|thumbnail
 */
public final class RenderCommand {
    private RenderCommand() {}

    public static void main(String[] args) throws Exception {
        FfmpegBinaries binaries = BenchBinaries.quiet();
        Path image = Path.of(args[0]);
        Path audio = Path.of(args[1]);
        Path out = Path.of(args[2]);
        var kind = new MediaSniffer().sniff(image).orElseThrow();
        var render = new ImageAudioRender(binaries.ffmpeg(), image, new ImageHeaderReader().read(image, kind), audio,
                new MediaProbe(binaries).probe(audio).durationSeconds(), new RenderSize(1280, 720), 25, FitMode.AUTO,
                CameraMotion.gentleDefault(), out.resolve("output.mp4"), out.resolve("thumbnail.jpg"),
                out.resolve("ffmpeg-progress.txt"));
        ImageAudioCommands commands = new ImageAudioCommands();
        var command = "thumbnail".equals(args[3]) ? commands.thumbnail(render) : commands.imageWithAudio(render);
        command.forEach(System.out::println);
    }
}
