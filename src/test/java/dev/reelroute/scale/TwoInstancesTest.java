package dev.reelroute.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reelroute.ReelrouteApplication;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.Databases;
import dev.reelroute.support.ExternalArtemis;
import dev.reelroute.support.S3ProxyExtension;
import dev.reelroute.tokens.TokenLedger;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Two instances of the service, each its own Spring application with its own port and data dir, sharing only a
 * standalone Artemis broker, one MariaDB database and one S3 server (the production profiles mysql, s3 and
 * artemis): 20 jobs submitted to both are each completed exactly once, by one instance, and both did work.
 */
@ExtendWith(S3ProxyExtension.class)
class TwoInstancesTest {
    private static final int JOBS = 20;
    private static final String DATABASE = Databases.uniqueName();
    private static final String JDBC_URL = Databases.MARIADB_URL + DATABASE
            + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true";

    @RegisterExtension
    static final ExternalArtemis artemis = new ExternalArtemis();

    private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    @AfterAll
    static void stopInstances() throws Exception {
        for (ConfigurableApplicationContext instance : instances) {
            instance.close();
        }
        Databases.dropMariaDb(DATABASE);
    }

    private static ConfigurableApplicationContext start(String name) throws Exception {
        S3ProxyExtension.Server s3 = S3ProxyExtension.server();
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", "0");
        settings.put("reelroute.data-dir", Files.createTempDirectory("reelroute-" + name + "-").toString());
        settings.put("reelroute.instance-id", name);
        settings.put("camel.main.name", "reelroute-" + name);
        settings.put("reelroute.url-signing-secret", "two-instances-test-signing-secret");
        settings.put("reelroute.video-jobs.max-concurrent-per-account", "" + JOBS);
        settings.put("reelroute.rate-limit.submit-per-minute", "1000");
        settings.put("REELROUTE_DB_URL", JDBC_URL);
        settings.put("REELROUTE_DB_USER", Databases.MARIADB_USER);
        settings.put("REELROUTE_DB_PASSWORD", Databases.MARIADB_PASSWORD);
        settings.put("REELROUTE_ARTEMIS_URL", artemis.url() + "?consumerWindowSize=0");
        settings.put("REELROUTE_ARTEMIS_USER", ExternalArtemis.APP_USER);
        settings.put("REELROUTE_ARTEMIS_PASSWORD", ExternalArtemis.APP_PASSWORD);
        settings.put("reelroute.storage.s3.bucket", "two-instances");
        settings.put("reelroute.storage.s3.region", "us-east-1");
        settings.put("reelroute.storage.s3.endpoint", s3.endpoint().toString());
        settings.put("reelroute.storage.s3.path-style-access", "true");
        settings.put("reelroute.storage.s3.access-key", s3.accessKey());
        settings.put("reelroute.storage.s3.secret-key", s3.secretKey());
        settings.put("reelroute.storage.s3.auto-create-bucket", "false");
        // as command-line arguments: they outrank application.yaml, as an operator's environment would
        String[] arguments = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext instance = new SpringApplicationBuilder(ReelrouteApplication.class)
                .profiles("mysql", "s3", "artemis")
                .run(arguments);
        instances.add(instance);
        return instance;
    }

    /** The operator's job: the bucket exists before the instances start (neither creates it). */
    private static void createBucket() {
        S3ProxyExtension.Server s3 = S3ProxyExtension.server();
        try (S3Client client = S3Client.builder().endpointOverride(s3.endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build()) {
            client.createBucket(request -> request.bucket("two-instances"));
        }
    }

    private static int port(ConfigurableApplicationContext instance) {
        return Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
    }

    @Test
    void twentyJobsAreEachCompletedOnceByOneInstanceAndBothInstancesWork() throws Exception {
        try (Connection connection = DriverManager.getConnection(Databases.MARIADB_URL, Databases.MARIADB_USER,
                Databases.MARIADB_PASSWORD)) {
            connection.createStatement().execute("CREATE DATABASE `" + DATABASE + "` CHARACTER SET utf8mb4");
        }
        createBucket();
        ConfigurableApplicationContext first = start("instance-a");
        ConfigurableApplicationContext second = start("instance-b");
        List<ApiClient> apis = List.of(new ApiClient(port(first)), new ApiClient(port(second)));

        AccountStore.CreatedKey account = first.getBean(AccountStore.class)
                .createKey(first.getBean(AccountStore.class).createAccount("scale", null, 1).account().id(), "t", null);
        first.getBean(TokenLedger.class).topUp(account.accountId(), 50L * JOBS, "test");

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            ApiClient.Response created = apis.get(i % 2).postMultipart("/api/v1/video-jobs", account.apiKey(), List.of(
                    Part.field("prompt", "job " + i + ": a slow zoom in"), Part.field("model", "kling-v2.1"),
                    Part.field("resolution", "720p"), Part.field("aspectRatio", "16:9"),
                    Part.field("durationSeconds", "4"), Part.field("mockMode", "true")));
            assertThat(created.status()).as(created.body()).isEqualTo(202);
            ids.add(created.json().get("id").asText());
        }

        ConditionFactory allJobs = await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(250));
        for (String id : ids) {
            // either instance answers for any job: nothing lives in one instance's memory
            String status = allJobs.until(() -> apis.get(id.hashCode() & 1)
                    .get("/api/v1/video-jobs/" + id, account.apiKey()).json().get("status").asText(),
                    read -> read.equals("SUCCEEDED") || read.equals("FAILED"));
            assertThat(status).as("job %s", id).isEqualTo("SUCCEEDED");
        }

        try (Connection connection = DriverManager.getConnection(JDBC_URL, Databases.MARIADB_USER,
                Databases.MARIADB_PASSWORD)) {
            Map<String, Integer> perInstance = new HashMap<>();
            PreparedStatement rows = connection.prepareStatement("""
                    SELECT j.id, j.status, j.retries, j.claimed_by,
                           (SELECT COUNT(*) FROM job_logs l WHERE l.job_id = j.id AND l.message = 'Preparing inputs')
                               AS claims,
                           (SELECT COUNT(*) FROM job_logs l WHERE l.job_id = j.id AND l.message LIKE 'Rendered %')
                               AS renders
                    FROM jobs j WHERE j.account_id = ?""");
            rows.setString(1, account.accountId());
            ResultSet row = rows.executeQuery();
            int count = 0;
            while (row.next()) {
                count++;
                String id = row.getString("id");
                assertThat(row.getString("status")).as(id).isEqualTo("COMPLETED");
                assertThat(row.getInt("retries")).as("%s was never taken over", id).isZero();
                assertThat(row.getInt("claims")).as("%s was claimed once", id).isEqualTo(1);
                assertThat(row.getInt("renders")).as("%s was rendered once", id).isEqualTo(1);
                perInstance.merge(row.getString("claimed_by"), 1, Integer::sum);
            }
            assertThat(count).isEqualTo(JOBS);
            assertThat(perInstance).as("jobs per instance").containsOnlyKeys("instance-a", "instance-b");
        }
        assertThat(first.getBean(TokenLedger.class).balance(account.accountId())).isZero();
    }
}
