package dev.reelroute.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FilesystemStorageTest extends StorageContract {
    private FilesystemStorage storage;
    private Path root;

    @BeforeEach
    void storage(@org.junit.jupiter.api.io.TempDir Path storageDir) throws IOException {
        root = storageDir.resolve("storage");
        storage = new FilesystemStorage(root);
    }

    @Override
    protected Storage storage() {
        return storage;
    }

    @Test
    void theAppServesTheFilesItselfSoThereIsNoPresignedUrl() throws Exception {
        storage.put(key("output.mp4"), file("output.mp4", randomBytes(10, 9)), "video/mp4");
        assertThat(storage.presignedUrl(key("output.mp4"))).isEmpty();
    }

    @Test
    void aLocalFileIsTheStoredFileItselfWithNoCopy() throws Exception {
        storage.put(key("image.png"), file("image.png", randomBytes(10, 10)), "image/png");
        assertThat(storage.localFile(key("image.png"), dir)).startsWith(root.toRealPath());
    }
}
