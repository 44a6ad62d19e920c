package dev.reelroute.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reelroute.support.StorageRoutes;
import java.nio.file.Path;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FilesystemStorageTest extends StorageContract {
    private FilesystemStorage storage;
    private Path root;
    private StorageRoutes routes;

    @BeforeEach
    void storage(@org.junit.jupiter.api.io.TempDir Path storageDir) throws Exception {
        root = storageDir.resolve("storage");
        routes = new StorageRoutes();
        storage = routes.serve(producer -> new FilesystemStorage(root, producer));
    }

    @AfterEach
    void stopRoutes() {
        routes.close();
    }

    @Override
    protected CamelContext camel() {
        return routes.camel();
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
