package dev.reelroute.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reelroute.security.AccountStore;
import dev.reelroute.support.ApiClient;
import dev.reelroute.support.ApiClient.Part;
import dev.reelroute.support.ExternalArtemis;
import dev.reelroute.support.S3ProxyExtension;
import dev.reelroute.support.ScaledOut;
import dev.reelroute.support.Tokens;
import dev.reelroute.tokens.TokenLedger;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two instances of the service, each its own Spring application with its own port and data dir, sharing only a
 * standalone Artemis broker, one MariaDB database and one S3 server (the production profiles mysql, s3 and
 * artemis): 20 jobs submitted to both are each completed exactly once, by one instance, and both did work.
 */
@ExtendWith(S3ProxyExtension.class)
class TwoInstancesTest {
    private static final int JOBS = 20;

    @RegisterExtension
    static final ExternalArtemis artemis = new ExternalArtemis();

    private static final ScaledOut shared = new ScaledOut(artemis, "two-instances");
    private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();

    @AfterAll
    static void stopInstances() throws Exception {
        for (ConfigurableApplicationContext instance : instances) {
            instance.close();
        }
        shared.dropDatabase();
    }

    private static ConfigurableApplicationContext start(String name) throws Exception {
        Map<String, String> settings = shared.settings(name,
                Files.createTempDirectory("reelroute-" + name + "-"));
        settings.put("reelroute.video-jobs.max-concurrent-per-account", "" + JOBS);
        // what is asserted is who rendered each job and how often, not the video: 10 frames a second, not 25
        settings.put("reelroute.render.fps", "10");
        ConfigurableApplicationContext instance = ScaledOut.startInJvm(settings);
        instances.add(instance);
        return instance;
    }

    private static int port(ConfigurableApplicationContext instance) {
        return Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
    }

    @Test
    void twentyJobsAreEachCompletedOnceByOneInstanceAndBothInstancesWork() throws Exception {
        shared.createDatabaseAndBucket();
        ConfigurableApplicationContext first = start("instance-a");
        ConfigurableApplicationContext second = start("instance-b");
        List<ApiClient> apis = List.of(new ApiClient(port(first)), new ApiClient(port(second)));

        AccountStore.CreatedKey account = first.getBean(AccountStore.class)
                .createKey(first.getBean(AccountStore.class).createAccount("scale", null, 1).account().id(), "t", null);
        Tokens.topUp(first.getBean(CamelContext.class), account.accountId(), 50L * JOBS);

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

        try (Connection connection = shared.openDatabase()) {
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
