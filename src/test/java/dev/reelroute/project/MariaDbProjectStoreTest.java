package dev.reelroute.project;

import com.zaxxer.hikari.HikariDataSource;
import dev.reelroute.support.Databases;
import javax.sql.DataSource;

class MariaDbProjectStoreTest extends ProjectStoreContract {
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
