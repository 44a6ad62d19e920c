package dev.reelroute.idempotency;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over the parts of a request, each one length-prefixed so that no two different requests give the same
 * sequence of bytes ("ab" + "c" is not "a" + "bc").
 */
public final class RequestFingerprint {
    private final MessageDigest digest = sha256();

    public RequestFingerprint add(String text) {
        return add(text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8));
    }

    public RequestFingerprint add(byte[] bytes) {
        byte[] data = bytes == null ? new byte[0] : bytes;
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(data.length).array());
        digest.update(data);
        return this;
    }

    /** Adds the SHA-256 of a stream's content (an uploaded file), not the content itself. */
    public RequestFingerprint addHashOf(InputStream content) throws IOException {
        MessageDigest file = sha256();
        byte[] buffer = new byte[64 * 1024];
        for (int read; (read = content.read(buffer)) != -1; ) {
            file.update(buffer, 0, read);
        }
        return add(file.digest());
    }

    public String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", missing);
        }
    }
}
