package dev.reelroute.job;

import dev.reelroute.support.Databases.TestDatabase;

/** The same steps on the MariaDB server of the machine (127.0.0.1:3306). */
class MariaDbJobStageSqlTest extends JobStageSqlContract {
    @Override
    protected TestDatabase openDatabase() throws Exception {
        return TestDatabase.mariaDb();
    }
}
