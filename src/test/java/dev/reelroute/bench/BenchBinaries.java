package dev.reelroute.bench;

import dev.reelroute.media.FfmpegBinaries;

/** What the bench command printers share: quiet logging, and ffmpeg found as the service finds it. */
final class BenchBinaries {
    private BenchBinaries() {}

    /** Silences logging (stdout carries only the command) and resolves ffmpeg from the environment, else PATH. */
    static FfmpegBinaries quiet() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.OFF);
        return new FfmpegBinaries(System.getenv("REELROUTE_FFMPEG_PATH"), System.getenv("REELROUTE_FFPROBE_PATH"));
    }
}
