package dev.reelroute.styletransfer;

/** A style transfer {@code config} value that can't be used; {@link #field()} names it, e.g. "config.strength". */
public class StyleConfigException extends IllegalArgumentException {

    private final String field;

    public StyleConfigException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
