import dev.reelroute.media.CameraMotion;
import dev.reelroute.media.CameraWarp;
import dev.reelroute.media.RenderSize;
import java.util.Arrays;
import java.util.Random;

/**
 * The camera alone: milliseconds a frame of {@link CameraWarp} on one thread, four motions of 125 frames each over a
 * noise canvas, after warm-up rounds; prints the median of the measured rounds. bench/camera.sh runs it on two builds
 * in turn. Usage: java -cp target/classes bench/CameraBench.java WIDTH HEIGHT ROUNDS
 */
public class CameraBench {
    public static void main(String[] args) {
        RenderSize size = new RenderSize(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
        int rounds = Integer.parseInt(args[2]);
        CameraWarp warp = new CameraWarp(size);
        byte[] canvas = new byte[warp.frameBytes()];
        new Random(1).nextBytes(canvas);
        byte[] out = new byte[warp.frameBytes()];
        CameraMotion[] motions = {new CameraMotion(CameraMotion.Kind.ZOOM_IN, 0.2),
            new CameraMotion(CameraMotion.Kind.PAN_LEFT, 0.15), new CameraMotion(CameraMotion.Kind.DRIFT, 0.1),
            new CameraMotion(CameraMotion.Kind.TILT_UP, 0.15)};
        int warmUp = 3;
        double[] perFrame = new double[rounds];
        long checksum = 0;
        for (int round = -warmUp; round < rounds; round++) {
            long start = System.nanoTime();
            for (CameraMotion motion : motions) {
                for (int frame = 0; frame < 125; frame++) {
                    warp.frame(canvas, motion, frame, 125, out);
                    checksum += out[frame];
                }
            }
            if (round >= 0) {
                perFrame[round] = (System.nanoTime() - start) / 1e6 / (motions.length * 125);
            }
        }
        Arrays.sort(perFrame);
        System.out.printf("%.3f ms a frame (median of %d rounds; checksum %d)%n", perFrame[rounds / 2], rounds,
                checksum);
    }
}
