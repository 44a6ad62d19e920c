package dev.reelroute.job;

import dev.reelroute.support.Databases.TestDatabase;

class H2JobStoreTest extends JobStoreContract {
    @Override
    protected TestDatabase openDatabase() throws Exception {
        return TestDatabase.h2();
    }
}
