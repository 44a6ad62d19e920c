package dev.reelroute.media;

/** Pixel size of an image as declared by its header. Not validated against any limit here. */
public record ImageDimensions(int width, int height) {

    public ImageDimensions {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image dimensions must be positive: " + width + "x" + height);
        }
    }

    public double aspectRatio() {
        return (double) width / height;
    }
}
