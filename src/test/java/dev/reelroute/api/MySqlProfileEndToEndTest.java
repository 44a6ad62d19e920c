package dev.reelroute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.Databases;
import dev.reelroute.support.ServiceTest;
import dev.reelroute.support.Tokens;
import dev.reelroute.tokens.TokenLedger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The `mysql` profile against the MariaDB server on this machine: Flyway migrates a fresh database, and a job runs
 * end to end with its row, logs and token ledger in MariaDB.
 */
@ActiveProfiles("mysql")
@DirtiesContext
class MySqlProfileEndToEndTest extends ServiceTest {
    private static final String DATABASE = Databases.uniqueName();

    @Autowired
    TokenLedger ledger;
    @Autowired
    CamelContext camel;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        embeddedDefaults(registry);
        try (Connection connection = DriverManager.getConnection(Databases.MARIADB_URL, Databases.MARIADB_USER,
                Databases.MARIADB_PASSWORD)) {
            connection.createStatement().execute("CREATE DATABASE `" + DATABASE + "` CHARACTER SET utf8mb4");
        }
        registry.add("REELROUTE_DB_URL", () -> Databases.MARIADB_URL + DATABASE
                + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true");
        registry.add("REELROUTE_DB_USER", () -> Databases.MARIADB_USER);
        registry.add("REELROUTE_DB_PASSWORD", () -> Databases.MARIADB_PASSWORD);
        registry.add("reelroute.instance-id", () -> "mysql-instance");
    }

    /**
     * The database goes when the test JVM exits: this class's context is closed after it (DirtiesContext) rather
     * than cached with its timers running on a database that is gone, and JUnit's @AfterAll would run before that.
     */
    @AfterAll
    static void dropDatabaseAtExit() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Databases.dropMariaDb(DATABASE);
            } catch (Exception serverGone) {
                // a throwaway database on a server that stopped first
            }
        }));
    }

    @Test
    void aVideoJobRunsEndToEndWithItsRecordsInMariaDb() throws Exception {
        AccountStore.CreatedKey account = newAccount("mysql-profile");
        Tokens.topUp(camel, account.accountId(), 100);
        ApiClient.Response created = api.postMultipart("/api/v1/video-jobs", account.apiKey(), List.of(
                Part.field("prompt", "slow pan right over a harbour"), Part.field("model", "kling-v2.1"),
                Part.field("resolution", "720p"), Part.field("aspectRatio", "16:9"),
                Part.field("durationSeconds", "4"), Part.field("mockMode", "true")));
        assertThat(created.status()).as(created.body()).isEqualTo(202);
        String id = created.json().get("id").asText();

        JsonNode job = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get("/api/v1/video-jobs/" + id, account.apiKey()).json(),
                        read -> List.of("SUCCEEDED", "FAILED").contains(read.get("status").asText()));
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");

        // the rows are in MariaDB itself, read with a connection of our own
        try (Connection connection = DriverManager.getConnection(Databases.MARIADB_URL + DATABASE,
                Databases.MARIADB_USER, Databases.MARIADB_PASSWORD)) {
            PreparedStatement jobRow = connection.prepareStatement(
                    "SELECT status, tokens_consumed, output_video_key, claimed_by FROM jobs WHERE id = ?");
            jobRow.setString(1, id);
            ResultSet row = jobRow.executeQuery();
            assertThat(row.next()).isTrue();
            assertThat(row.getString("status")).isEqualTo("COMPLETED");
            assertThat(row.getLong("tokens_consumed")).isEqualTo(50);
            assertThat(row.getString("output_video_key")).endsWith("output.mp4");
            assertThat(row.getString("claimed_by")).isEqualTo("mysql-instance");
            PreparedStatement logCount = connection.prepareStatement("SELECT COUNT(*) FROM job_logs WHERE job_id = ?");
            logCount.setString(1, id);
            ResultSet logs = logCount.executeQuery();
            logs.next();
            assertThat(logs.getInt(1)).isGreaterThan(3);
            ResultSet migrations = connection.createStatement().executeQuery(
                    "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1");
            migrations.next();
            assertThat(migrations.getInt(1)).isGreaterThanOrEqualTo(5);
        }
        assertThat(ledger.balance(account.accountId())).isEqualTo(50);
    }
}
