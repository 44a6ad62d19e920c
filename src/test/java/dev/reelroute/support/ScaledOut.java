package dev.reelroute.support;

import dev.reelroute.ReelrouteApplication;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.nio.file.Path;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The scaled-out shape the multi-instance tests start: instances sharing one MariaDB database, one standalone Artemis
 * broker and one S3 bucket (the production profiles mysql, s3 and artemis), each with its own data dir and name.
 */
public final class ScaledOut {
    public static final String[] PROFILES = {"mysql", "s3", "artemis"};

    private final ExternalArtemis artemis;
    private final String bucket;
    private final String database = Databases.uniqueName();

    public ScaledOut(ExternalArtemis artemis, String bucket) {
        this.artemis = artemis;
        this.bucket = bucket;
    }

    public String jdbcUrl() {
        return Databases.MARIADB_URL + database + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true";
    }

    /** The operator's job: the database and the bucket exist before the instances start (none creates them). */
    public void createDatabaseAndBucket() throws SQLException {
        try (Connection connection = DriverManager.getConnection(Databases.MARIADB_URL, Databases.MARIADB_USER,
                Databases.MARIADB_PASSWORD)) {
            connection.createStatement().execute("CREATE DATABASE `" + database + "` CHARACTER SET utf8mb4");
        }
        S3ProxyExtension.Server s3 = S3ProxyExtension.server();
        try (S3Client client = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build()) {
            client.createBucket(request -> request.bucket(bucket));
        }
    }

    public void dropDatabase() throws SQLException {
        Databases.dropMariaDb(database);
    }

    public Connection openDatabase() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), Databases.MARIADB_USER, Databases.MARIADB_PASSWORD);
    }

    /** What the instances share (database, broker, bucket) and what is one instance's own (data dir, name). */
    public Map<String, String> settings(String name, Path dataDir) {
        S3ProxyExtension.Server s3 = S3ProxyExtension.server();
        Map<String, String> settings = new HashMap<>();
        settings.put("reelroute.data-dir", dataDir.toString());
        settings.put("reelroute.instance-id", name);
        settings.put("camel.main.name", "reelroute-" + name);
        settings.put("reelroute.url-signing-secret", "scaled-out-test-signing-secret");
        settings.put("reelroute.rate-limit.submit-per-minute", "1000");
        settings.put("REELROUTE_DB_URL", jdbcUrl());
        settings.put("REELROUTE_DB_USER", Databases.MARIADB_USER);
        settings.put("REELROUTE_DB_PASSWORD", Databases.MARIADB_PASSWORD);
        settings.put("REELROUTE_ARTEMIS_URL", artemis.serviceUrl());
        settings.put("REELROUTE_ARTEMIS_USER", ExternalArtemis.APP_USER);
        settings.put("REELROUTE_ARTEMIS_PASSWORD", ExternalArtemis.APP_PASSWORD);
        settings.put("reelroute.storage.s3.bucket", bucket);
        settings.put("reelroute.storage.s3.region", "us-east-1");
        settings.put("reelroute.storage.s3.endpoint", s3.endpoint().toString());
        settings.put("reelroute.storage.s3.path-style-access", "true");
        settings.put("reelroute.storage.s3.access-key", s3.accessKey());
        settings.put("reelroute.storage.s3.secret-key", s3.secretKey());
        settings.put("reelroute.storage.s3.auto-create-bucket", "false");
        return settings;
    }

    /** An instance in this JVM, on a port the OS picks, with {@code settings} as command-line arguments. */
    public static ConfigurableApplicationContext startInJvm(Map<String, String> settings) {
        Map<String, String> withPort = new HashMap<>(settings);
        withPort.putIfAbsent("server.port", "0");
        // as command-line arguments: they outrank application.yaml, as an operator's environment would
        String[] arguments = withPort.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(ReelrouteApplication.class).profiles(PROFILES).run(arguments);
    }

    public static ApiClient api(ConfigurableApplicationContext instance) {
        return new ApiClient(Integer.parseInt(instance.getEnvironment().getProperty("local.server.port")));
    }
}
