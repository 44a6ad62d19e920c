package dev.reelroute.support;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Fresh, migrated databases for store tests: H2 in MySQL mode, and a throwaway schema on the local MariaDB. */
public final class Databases {
    public static final String MARIADB_URL =
            System.getProperty("reelroute.test.mariadb-url", "jdbc:mysql://127.0.0.1:3306/");
    public static final String MARIADB_USER = System.getProperty("reelroute.test.mariadb-user", "root");
    public static final String MARIADB_PASSWORD = System.getProperty("reelroute.test.mariadb-password", "");

    private Databases() {}

    public static HikariDataSource h2() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID()
                + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        dataSource.setUsername("sa");
        return migrate(dataSource);
    }

    /** A new database on the MariaDB server; drop it with {@link #dropMariaDb(String)}. */
    public static HikariDataSource mariaDb(String database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(MARIADB_URL, MARIADB_USER, MARIADB_PASSWORD)) {
            connection.createStatement().execute("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4");
        }
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(MARIADB_URL + database + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true");
        dataSource.setUsername(MARIADB_USER);
        dataSource.setPassword(MARIADB_PASSWORD);
        return migrate(dataSource);
    }

    public static void dropMariaDb(String database) throws SQLException {
        try (Connection connection = DriverManager.getConnection(MARIADB_URL, MARIADB_USER, MARIADB_PASSWORD)) {
            connection.createStatement().execute("DROP DATABASE IF EXISTS `" + database + "`");
        }
    }

    private static HikariDataSource migrate(HikariDataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return dataSource;
    }

    /** A database for one test: H2 in memory, or a throwaway schema on the MariaDB server. */
    public static final class TestDatabase implements AutoCloseable {
        private final HikariDataSource dataSource;
        private final String mariaDbName;

        private TestDatabase(HikariDataSource dataSource, String mariaDbName) {
            this.dataSource = dataSource;
            this.mariaDbName = mariaDbName;
        }

        public static TestDatabase h2() {
            return new TestDatabase(Databases.h2(), null);
        }

        /**
         * The MariaDB schema migrated once for this test JVM, emptied for each test: migrating a new schema takes
         * about 3 s on the server, emptying it a few milliseconds. Store tests run one at a time, so they never share
         * it at once; it is dropped when the JVM exits.
         */
        public static TestDatabase mariaDb() throws SQLException {
            HikariDataSource dataSource = new HikariDataSource();
            dataSource.setJdbcUrl(MARIADB_URL + SharedMariaDb.NAME
                    + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true");
            dataSource.setUsername(MARIADB_USER);
            dataSource.setPassword(MARIADB_PASSWORD);
            SharedMariaDb.empty(dataSource);
            return new TestDatabase(dataSource, null);
        }

        public DataSource dataSource() {
            return dataSource;
        }

        @Override
        public void close() throws SQLException {
            dataSource.close();
            if (mariaDbName != null) {
                dropMariaDb(mariaDbName);
            }
        }
    }

    /** One migrated schema per test JVM for the store contracts; see {@link TestDatabase#mariaDb()}. */
    private static final class SharedMariaDb {
        static final String NAME = create();

        private static String create() {
            String name = uniqueName();
            try {
                Databases.mariaDb(name).close();
            } catch (SQLException e) {
                throw new IllegalStateException("The MariaDB server on " + MARIADB_URL + " is not usable", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    dropMariaDb(name);
                } catch (SQLException ignored) {
                    // the server went first; the schema is a throwaway one
                }
            }));
            return name;
        }

        /** Every row of every table gone but Flyway's history (the migrations insert no data of their own). */
        static void empty(DataSource dataSource) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables "
                        + "WHERE table_schema = DATABASE() AND table_name <> 'flyway_schema_history'")) {
                    while (rows.next()) {
                        tables.add(rows.getString(1));
                    }
                }
                statement.execute("SET FOREIGN_KEY_CHECKS = 0");
                for (String table : tables) {
                    statement.execute("DELETE FROM `" + table + "`");
                }
                statement.execute("SET FOREIGN_KEY_CHECKS = 1");
            }
        }
    }

    public static String uniqueName() {
        return "reelroute_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

}
