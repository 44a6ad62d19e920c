package dev.reelroute.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two requests split into parts by the fuzzer: their fingerprints are equal exactly when their parts are (an
 * Idempotency-Key replay must match only the same request), and an upload counts through its SHA-256.
 */
class RequestFingerprintFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void fingerprintsMatchExactlyWhenThePartsDo(FuzzedDataProvider data) throws Exception {
        List<byte[]> first = parts(data);
        List<byte[]> second = data.consumeBoolean() ? first : parts(data);
        boolean sameParts = first.size() == second.size();
        for (int i = 0; sameParts && i < first.size(); i++) {
            sameParts = Arrays.equals(first.get(i), second.get(i));
        }
        assertThat(fingerprint(first).equals(fingerprint(second))).isEqualTo(sameParts);

        byte[] upload = data.consumeRemainingAsBytes();
        String streamed = new RequestFingerprint().addHashOf(new ByteArrayInputStream(upload)).hex();
        String hashed = new RequestFingerprint().add(MessageDigest.getInstance("SHA-256").digest(upload)).hex();
        assertThat(streamed).isEqualTo(hashed).matches("[0-9a-f]{64}");
    }

    private static List<byte[]> parts(FuzzedDataProvider data) {
        List<byte[]> parts = new ArrayList<>();
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            parts.add(data.consumeBytes(data.consumeInt(0, 64)));
        }
        return parts;
    }

    private static String fingerprint(List<byte[]> parts) {
        RequestFingerprint fingerprint = new RequestFingerprint();
        parts.forEach(fingerprint::add);
        return fingerprint.hex();
    }
}
