package dev.reelroute.job;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.apache.camel.util.ObjectHelper;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Tells a failure caused by the database being out of reach (stopped, restarting, unreachable) from any other. */
public final class DatabaseOutage {
    private DatabaseOutage() {}

    /** True when the failure, or one it wraps (Camel wraps bean calls), is the database being out of reach. */
    public static boolean isCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException
                    || cause instanceof RecoverableDataAccessException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException
                    || cause instanceof SQLRecoverableException) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the failure came from the database at all: out of reach, or any other error it answered (a server
     * that is coming back can answer with errors of other kinds before it serves again).
     */
    public static boolean isDatabaseFailure(Throwable failure) {
        return isCause(failure) || ObjectHelper.getException(DataAccessException.class, failure) != null
                || ObjectHelper.getException(SQLException.class, failure) != null;
    }
}
