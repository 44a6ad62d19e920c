package dev.reelroute.job;

import dev.reelroute.support.Databases.TestDatabase;

class H2JobStageSqlTest extends JobStageSqlContract {
    @Override
    protected TestDatabase openDatabase() throws Exception {
        return TestDatabase.h2();
    }
}
