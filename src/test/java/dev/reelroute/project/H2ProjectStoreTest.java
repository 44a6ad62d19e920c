package dev.reelroute.project;

import dev.reelroute.support.Databases.TestDatabase;

class H2ProjectStoreTest extends ProjectStoreContract {
    @Override
    protected TestDatabase openDatabase() throws Exception {
        return TestDatabase.h2();
    }
}
