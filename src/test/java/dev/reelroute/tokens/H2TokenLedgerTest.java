package dev.reelroute.tokens;

import dev.reelroute.support.Databases.TestDatabase;

class H2TokenLedgerTest extends TokenLedgerContract {
    @Override
    protected TestDatabase openDatabase() throws Exception {
        return TestDatabase.h2();
    }
}
