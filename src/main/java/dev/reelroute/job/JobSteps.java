package dev.reelroute.job;

import dev.reelroute.config.Texts;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * What the job stages' SQL steps in the routes bind (camel-sql, on the job store's DataSource): the time of a change
 * as the job store writes it, and messages bounded to their column. {@value #TRANSACTION} is the transaction those
 * steps run in where a stage writes several statements atomically (the routes' {@code transacted} step).
 */
@Configuration(value = "jobSteps", proxyBeanMethods = false)
public class JobSteps {
    /** The Spring transaction (required: joined when one is open) of the job stages that write several statements. */
    public static final String TRANSACTION = "jobDatabaseTransaction";
    static final int MAX_MESSAGE_LENGTH = 1000;

    private final Clock clock;

    public JobSteps(Clock clock) {
        this.clock = clock;
    }

    @Bean(TRANSACTION)
    static SpringTransactionPolicy jobDatabaseTransaction(PlatformTransactionManager transactionManager) {
        SpringTransactionPolicy policy = new SpringTransactionPolicy(transactionManager);
        policy.setPropagationBehaviorName("PROPAGATION_REQUIRED");
        return policy;
    }

    /** Now, to the millisecond (what every column of the jobs table keeps). */
    public Timestamp now() {
        return Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    /** A running job's progress as its row keeps it: 0 to 99 (100 only once completed). */
    public int progress(int percent) {
        return runningProgress(percent);
    }

    /** {@link #progress} for the Java that writes or reports progress. */
    static int runningProgress(int percent) {
        return Math.max(0, Math.min(99, percent));
    }

    /** A status or error message as its column keeps it. */
    public String message(String text) {
        return Texts.bounded(text, MAX_MESSAGE_LENGTH);
    }
}
