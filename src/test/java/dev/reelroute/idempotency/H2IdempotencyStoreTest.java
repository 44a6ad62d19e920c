package dev.reelroute.idempotency;

import dev.reelroute.support.Databases.TestDatabase;

class H2IdempotencyStoreTest extends IdempotencyStoreContract {
    @Override
    protected TestDatabase openDatabase() throws Exception {
        return TestDatabase.h2();
    }
}
