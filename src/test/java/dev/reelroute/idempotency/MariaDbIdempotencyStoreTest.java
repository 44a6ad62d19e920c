package dev.reelroute.idempotency;

import dev.reelroute.support.Databases.TestDatabase;

class MariaDbIdempotencyStoreTest extends IdempotencyStoreContract {
    @Override
    protected TestDatabase openDatabase() throws Exception {
        return TestDatabase.mariaDb();
    }
}
