package dev.reelroute.provider;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture every adapter test shares: a local server speaking the provider's API, a second one standing in
 * for the CDN that serves outputs, and the adapter under test pointed at the first.
 */
abstract class ProviderProtocolTest<P extends RemoteVideoProvider> {
    @TempDir
    Path dir;
    ScriptedServer api;
    ScriptedServer cdn;
    P provider;

    /** The adapter, talking to {@code base} with the provider's own Authorization scheme. */
    abstract P newProvider(URI base);

    @BeforeEach
    void startServers() throws Exception {
        api = new ScriptedServer();
        cdn = new ScriptedServer();
        api.cdn(cdn.base().toString());
        provider = newProvider(api.base());
    }

    @AfterEach
    void stopServers() {
        api.close();
        cdn.close();
    }
}
