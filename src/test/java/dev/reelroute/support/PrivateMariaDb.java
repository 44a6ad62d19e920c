package dev.reelroute.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.springframework.util.FileSystemUtils;

/**
 * A MariaDB server of a test's own: its own data dir and port, so the test can stop it and start it again (the
 * shared server on 3306 is never touched). Root on 127.0.0.1 has an empty password, as mariadb-install-db makes it.
 * Its log is {@code server.log} in the data dir, printed when the server fails to start.
 */
public final class PrivateMariaDb implements AutoCloseable {
    public static final String USER = "root";
    public static final String PASSWORD = "";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Path dataDir;
    private final Path log;
    private final int port;
    private Process process;

    private PrivateMariaDb(Path dir, int port) {
        this.dir = dir;
        this.dataDir = dir.resolve("data");
        this.log = dir.resolve("server.log");
        this.port = port;
    }

    /** Installs a fresh data dir and starts the server on a free port. */
    public static PrivateMariaDb start() throws Exception {
        PrivateMariaDb server = new PrivateMariaDb(Files.createTempDirectory("reelroute-mariadb-"), freePort());
        List<String> install = new ArrayList<>(List.of("mariadb-install-db", "--no-defaults",
                "--datadir=" + server.dataDir, "--auth-root-authentication-method=normal", "--skip-test-db"));
        if (runsAsRoot()) {
            install.add("--user=root");
        }
        Process installing = ChildProcesses.start(new ProcessBuilder(install).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(server.log.toFile())));
        if (!installing.waitFor(120, TimeUnit.SECONDS) || installing.exitValue() != 0) {
            installing.destroyForcibly();
            throw new IllegalStateException("mariadb-install-db failed:\n" + Files.readString(server.log));
        }
        server.startServer();
        return server;
    }

    /** A JDBC URL of a database on this server, in UTC as the mysql profile's default URL. */
    public String jdbcUrl(String database) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database
                + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true";
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
    }

    public void createDatabase(String database) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", USER,
                PASSWORD)) {
            connection.createStatement().execute("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4");
        }
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Starts the server again on the same port and data dir; returns once it takes connections. */
    public void startServer() throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/sbin/mariadbd", "--no-defaults",
                "--datadir=" + dataDir, "--port=" + port, "--socket=" + dir.resolve("sock"),
                "--pid-file=" + dir.resolve("mariadbd.pid"), "--bind-address=127.0.0.1",
                "--skip-log-bin", "--innodb-buffer-pool-size=32M"));
        if (runsAsRoot()) {
            command.add("--user=root");
        }
        process = ChildProcesses.start(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
        try {
            Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
                    .until(() -> !process.isAlive() || acceptsConnections());
        } catch (ConditionTimeoutException notUp) {
            stopServer();
            throw new IllegalStateException("mariadbd took no connection on port " + port + " within "
                    + START_TIMEOUT + ":\n" + Files.readString(log));
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("mariadbd exited with " + process.exitValue() + ":\n"
                    + Files.readString(log));
        }
    }

    private boolean acceptsConnections() {
        try (Connection ignored = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port + "/", USER,
                PASSWORD)) {
            return true;
        } catch (SQLException notYet) {
            return false;
        }
    }

    /** SIGTERM, and waits for the server to exit: its clients' connections are closed. */
    public void stopServer() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stopServer();
        } finally {
            FileSystemUtils.deleteRecursively(dir.toFile());
        }
    }

    private static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
