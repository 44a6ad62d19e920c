package dev.reelroute.tokens;

import dev.reelroute.support.Databases.TestDatabase;

class MariaDbTokenLedgerTest extends TokenLedgerContract {
    @Override
    protected TestDatabase openDatabase() throws Exception {
        return TestDatabase.mariaDb();
    }
}
