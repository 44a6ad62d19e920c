package dev.reelroute.job;

import com.zaxxer.hikari.HikariDataSource;
import dev.reelroute.support.Databases;
import javax.sql.DataSource;

/** The same contract on the MariaDB server of the machine (127.0.0.1:3306; .ci/run starts it if it is down). */
class MariaDbJobStoreTest extends JobStoreContract {
    private HikariDataSource dataSource;
    private String database;

    @Override
    protected DataSource openDatabase() throws Exception {
        database = Databases.uniqueName();
        dataSource = Databases.mariaDb(database);
        return dataSource;
    }

    @Override
    protected void closeDatabase() throws Exception {
        dataSource.close();
        Databases.dropMariaDb(database);
    }
}
