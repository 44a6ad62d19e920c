package dev.reelroute.media;

/**
 * The media formats reelroute accepts, with the MIME type and file extension we store them under.
 */
public enum MediaKind {
    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png"),
    WEBP("image/webp", "webp"),
    MP3("audio/mpeg", "mp3"),
    WAV("audio/wav", "wav"),
    M4A("audio/mp4", "m4a"),
    OGG("audio/ogg", "ogg"),
    MP4("video/mp4", "mp4"),
    MOV("video/quicktime", "mov"),
    WEBM("video/webm", "webm"),
    MKV("video/x-matroska", "mkv");

    private final String mimeType;
    private final String extension;

    MediaKind(String mimeType, String extension) {
        this.mimeType = mimeType;
        this.extension = extension;
    }

    public String mimeType() {
        return mimeType;
    }

    /** Extension without the dot. */
    public String extension() {
        return extension;
    }

    public boolean isImage() {
        return mimeType.startsWith("image/");
    }

    public boolean isAudio() {
        return mimeType.startsWith("audio/");
    }

    public boolean isVideo() {
        return mimeType.startsWith("video/");
    }
}
