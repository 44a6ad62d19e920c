package dev.reelroute.media;

import dev.reelroute.config.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * A raw yuv420p frame (BT.709, limited range: what every render here encodes) written as a JPEG, for a thumbnail
 * taken from frames the service makes itself, with no FFmpeg run to start and decode the video again.
 */
public final class FrameJpeg {
    private static final float QUALITY = 0.9f;

    private FrameJpeg() {
    }

    /** Writes {@code frame} ({@code size}, yuv420p) to {@code output} as a JPEG, whole or not at all. */
    public static void write(byte[] frame, RenderSize size, Path output) throws IOException {
        int width = size.width();
        int height = size.height();
        if (frame.length != CameraWarp.frameBytes(size)) {
            throw new IllegalArgumentException("not one " + width + "x" + height + " yuv420p frame");
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int chromaWidth = width / 2;
        int chromaHeight = height / 2;
        int uPlane = width * height;
        int vPlane = uPlane + chromaWidth * chromaHeight;
        int[] row = new int[width];
        int[] uRow = new int[chromaWidth];
        int[] vRow = new int[chromaWidth];
        for (int y = 0; y < height; y++) {
            // chroma rows sit between two luma rows (MPEG-2 siting): this row takes 3/4 of the nearer, 1/4 of the other
            int near = y / 2;
            int far = Math.max(0, Math.min(chromaHeight - 1, (y & 1) == 0 ? near - 1 : near + 1));
            for (int k = 0; k < chromaWidth; k++) {
                uRow[k] = 3 * (frame[uPlane + near * chromaWidth + k] & 0xFF)
                        + (frame[uPlane + far * chromaWidth + k] & 0xFF);
                vRow[k] = 3 * (frame[vPlane + near * chromaWidth + k] & 0xFF)
                        + (frame[vPlane + far * chromaWidth + k] & 0xFF);
            }
            for (int x = 0; x < width; x++) {
                // chroma columns sit on the even luma columns: an odd column is the mean of its two neighbours
                int k = x / 2;
                int right = Math.min(chromaWidth - 1, k + 1);
                int u8 = (x & 1) == 0 ? 2 * uRow[k] : uRow[k] + uRow[right];
                int v8 = (x & 1) == 0 ? 2 * vRow[k] : vRow[k] + vRow[right];
                int luma = (frame[y * width + x] & 0xFF) - 16;
                // BT.709 limited range to full-range RGB, in 1/1024ths (chroma still times 8 here)
                int u = u8 - 8 * 128;
                int v = v8 - 8 * 128;
                int scaled = 1192 * luma + 512;
                int r = (scaled + ((1836 * v) >> 3)) >> 10;
                int g = (scaled - ((218 * u + 546 * v) >> 3)) >> 10;
                int b = (scaled + ((2163 * u) >> 3)) >> 10;
                row[x] = clamp(r) << 16 | clamp(g) << 8 | clamp(b);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        ImageWriter writer = jpegWriter();
        ImageWriteParam parameters = writer.getDefaultWriteParam();
        parameters.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        parameters.setCompressionQuality(QUALITY);
        IIOMetadata metadata = fullChroma(writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), parameters));
        try {
            AtomicFiles.write(output, partial -> {
                try (ImageOutputStream stream = ImageIO.createImageOutputStream(Files.newOutputStream(partial))) {
                    writer.setOutput(stream);
                    writer.write(null, new IIOImage(image, null, metadata), parameters);
                }
            });
        } finally {
            writer.dispose();
        }
    }

    /**
     * The writer's metadata with every component sampled 1x1: the writer would otherwise halve the chroma again,
     * after the frame's own 4:2:0, and colour edges would bleed twice.
     */
    private static IIOMetadata fullChroma(IIOMetadata metadata) throws IOException {
        String format = "javax_imageio_jpeg_image_1.0";
        Node tree = metadata.getAsTree(format);
        NodeList components = ((Element) tree).getElementsByTagName("componentSpec");
        for (int i = 0; i < components.getLength(); i++) {
            Element component = (Element) components.item(i);
            component.setAttribute("HsamplingFactor", "1");
            component.setAttribute("VsamplingFactor", "1");
        }
        metadata.setFromTree(format, tree);
        return metadata;
    }

    private static ImageWriter jpegWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this Java has no JPEG writer");
        }
        return writers.next();
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }
}
