package dev.reelroute.project;

import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.FitMode;
import dev.reelroute.media.Fixtures;
import dev.reelroute.media.ImageDimensions;
import dev.reelroute.media.RenderSize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;


/**
 * Not a test: renders the segments of a 4-clip project (5 s clips, 1 s crossfades, 720p 25 fps) both as two
 * processes at a time with 1 thread each and one process at a time with 2 threads, interleaved, and prints
 * the wall times. Run with {@code mvn -o -q test -Dtest=ProjectThreadsBench -Dreelroute.bench=true}.
 */
@EnabledIfSystemProperty(named = "reelroute.bench", matches = "true")
class ProjectThreadsBench {

    @TempDir
    Path dir;

    @Test
    void twoSingleThreadedProcessesVersusOneWithTwoThreads() throws Exception {
        List<ClipSpec> clips = new ArrayList<>();
        CameraMotion[] motions = {new CameraMotion(CameraMotion.Kind.ZOOM_IN, 0.1),
                new CameraMotion(CameraMotion.Kind.DRIFT, 0.1), new CameraMotion(CameraMotion.Kind.PAN_RIGHT, 0.1),
                new CameraMotion(CameraMotion.Kind.ZOOM_OUT, 0.1)};
        for (int i = 0; i < 4; i++) {
            Path image = Fixtures.ffmpeg(dir.resolve("clip" + i + ".png"), "-f", "lavfi", "-i",
                    "testsrc2=s=1920x1080", "-vf", "hue=h=" + (90 * i), "-frames:v", "1");
            clips.add(new ClipSpec(image, new ImageDimensions(1920, 1080), 5, motions[i]));
        }
        int rounds = Integer.getInteger("reelroute.bench.rounds", 3);
        for (int round = 0; round < rounds; round++) {
            long parallel = time(clips, 1, 2);
            long serial = time(clips, 2, 1);
            System.out.printf("round %d: 2 processes x 1 thread %d ms, 1 process x 2 threads %d ms%n", round,
                    parallel, serial);
        }
    }

    private long time(List<ClipSpec> clips, int threads, int processes) throws Exception {
        ProjectCommands commands = new ProjectCommands();
        ExecutorService pool = Executors.newFixedThreadPool(processes);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                SegmentRenders.render(commands, new SegmentRender(Fixtures.FFMPEG, clips.get(n),
                        n + 1 < clips.size() ? clips.get(n + 1) : null, n == 0, 1, RenderSize.DEFAULT, 25,
                        threads, dir.resolve("s" + n + ".mp4"), dir.resolve("p" + n + ".txt")));
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
