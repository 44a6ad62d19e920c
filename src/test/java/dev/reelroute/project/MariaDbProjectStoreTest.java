package dev.reelroute.project;

import dev.reelroute.support.Databases.TestDatabase;

/** The same contract on the MariaDB server of the machine (127.0.0.1:3306; .ci/run starts it if it is down). */
class MariaDbProjectStoreTest extends ProjectStoreContract {
    @Override
    protected TestDatabase openDatabase() throws Exception {
        return TestDatabase.mariaDb();
    }
}
