package dev.reelroute.project;

import com.zaxxer.hikari.HikariDataSource;
import dev.reelroute.support.Databases;
import javax.sql.DataSource;

class H2ProjectStoreTest extends ProjectStoreContract {
    private HikariDataSource dataSource;

    @Override
    protected DataSource openDatabase() {
        dataSource = Databases.h2();
        return dataSource;
    }

    @Override
    protected void closeDatabase() {
        dataSource.close();
    }
}
