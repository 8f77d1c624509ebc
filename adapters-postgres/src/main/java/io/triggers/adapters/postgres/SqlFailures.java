package io.triggers.adapters.postgres;

import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.model.TriggersException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.ConnectionException;

/** Reads vendor failures, so that only core exceptions leave this adapter. */
final class SqlFailures {

  static final String UNIQUE_VIOLATION = "23505";
  static final String FOREIGN_KEY_VIOLATION = "23503";

  /** Server states that mean "not reachable now", beyond the connection class 08. */
  private static final Set<String> UNAVAILABLE_STATES =
      Set.of("57P01", "57P02", "57P03", "53300", "53400");

  private static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01");

  private SqlFailures() {}

  /** The exception to throw in place of {@code failure}, keeping it as the cause. */
  static TriggersException translate(String action, Throwable failure) {
    if (failure instanceof TriggersException triggers) {
      return triggers;
    }
    if (isUnavailable(failure)) {
      return new StorageUnavailableException(
          "PostgreSQL is unavailable: could not " + action, failure);
    }
    if (isDataError(failure)) {
      return new InvalidValueException(
          "request", "the database cannot hold a value of this request", failure);
    }
    return new TriggersException("PostgreSQL failed to " + action, failure);
  }

  /** Whether the database could not be reached, as opposed to refusing what was sent. */
  static boolean isUnavailable(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StorageUnavailableException
          || t instanceof ConnectionException
          || t instanceof SQLTransientConnectionException
          || t instanceof IOException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the database refused a value it was sent: SQLSTATE class 22 (data exception: bad
   * encoding, out-of-range numbers or times, invalid JSON) or 54 (a program limit, such as an index
   * row too large). The request's fault, not the server's, and refused again if retried.
   */
  static boolean isDataError(Throwable failure) {
    return sqlState(failure).filter(s -> s.startsWith("22") || s.startsWith("54")).isPresent();
  }

  /** Whether the transaction was rolled back by a deadlock or serialization conflict. */
  static boolean isRetryable(Throwable failure) {
    return sqlState(failure).filter(RETRYABLE_STATES::contains).isPresent();
  }

  static boolean hasState(Throwable failure, String state) {
    return sqlState(failure).filter(state::equals).isPresent();
  }

  private static Optional<String> sqlState(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return Optional.of(sql.getSQLState());
      }
    }
    return Optional.empty();
  }
}
