package io.triggers.adapters.postgres;

import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.StorageUnavailableException;
import io.triggers.core.model.TriggersException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Reads vendor failures, so that only core exceptions leave this adapter. */
final class SqlFailures {

  static final String UNIQUE_VIOLATION = "23505";
  static final String FOREIGN_KEY_VIOLATION = "23503";

  /**
   * Server states that mean "not reachable now", beyond the connection class 08 and the class 53 of
   * insufficient resources (a full disk, memory, connection slots): the server going down, crashing
   * or starting up.
   */
  private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");

  private static final String INSUFFICIENT_RESOURCES_CLASS = "53";

  private static final Map<String, String> SHORTAGES =
      Map.of(
          "53100", "disk full",
          "53200", "out of memory",
          "53300", "too many connections",
          "53400", "configuration limit exceeded");

  private static final Set<String> RETRYABLE_STATES = Set.of("40001", "40P01");

  /** How many times {@link #withRetries} runs work that keeps being rolled back, in all. */
  private static final int ATTEMPTS = 3;

  private SqlFailures() {}

  /** Runs {@code work} on a handle of its own, translating any failure to {@code action}. */
  static <T> T withHandle(Jdbi jdbi, String action, Function<Handle, T> work) {
    return run(jdbi, action, work, 1);
  }

  /**
   * Runs {@code work} as {@link #withHandle} does, and again, up to {@link #ATTEMPTS} times in all,
   * while PostgreSQL rolls it back in a deadlock or a serialization failure. Only for work that may
   * run again: one statement or one transaction, which a rollback undid whole, or statements that
   * each change nothing when repeated.
   */
  static <T> T withRetries(Jdbi jdbi, String action, Function<Handle, T> work) {
    return run(jdbi, action, work, ATTEMPTS);
  }

  private static <T> T run(Jdbi jdbi, String action, Function<Handle, T> work, int attempts) {
    for (int attempt = 1; ; attempt++) {
      try {
        return jdbi.withHandle(work::apply);
      } catch (RuntimeException e) {
        if (attempt >= attempts || !isRetryable(e)) {
          throw translate(action, e);
        }
        yieldToTheOther(attempt, action, e);
      }
    }
  }

  /**
   * Waits a little before another attempt, longer after each: the transaction that went on when
   * this one was rolled back would otherwise find the rows it waited for taken again by the retry
   * that did not wait, and deadlock with it once more.
   */
  static void yieldToTheOther(int attempt, String action, RuntimeException failure) {
    try {
      Thread.sleep(attempt * ThreadLocalRandom.current().nextLong(10, 50));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw translate(action, failure);
    }
  }

  /**
   * The exception to throw in place of {@code failure}, keeping it as the cause. Work rolled back
   * in a conflict with another transaction may be tried again, so it fails as unavailable work
   * does: the caller is told to come back.
   */
  static TriggersException translate(String action, Throwable failure) {
    if (failure instanceof TriggersException triggers) {
      return triggers;
    }
    if (isUnavailable(failure)) {
      String why = shortage(failure).map(lack -> " (" + lack + ")").orElse("");
      return new StorageUnavailableException(
          "PostgreSQL is unavailable" + why + ": could not " + action, failure);
    }
    if (isRetryable(failure)) {
      return new StorageUnavailableException(
          "PostgreSQL rolled back a transaction in a conflict with another: could not " + action,
          failure);
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
        if (state != null
            && (state.startsWith("08")
                || state.startsWith(INSUFFICIENT_RESOURCES_CLASS)
                || UNAVAILABLE_STATES.contains(state))) {
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

  /**
   * What the server lacks when it refused work for want of resources (SQLSTATE class 53, such as
   * {@code disk full}), as a short phrase for readiness and logs; empty for any other failure.
   */
  static Optional<String> shortage(Throwable failure) {
    return sqlState(failure)
        .filter(state -> state.startsWith(INSUFFICIENT_RESOURCES_CLASS))
        .map(state -> SHORTAGES.getOrDefault(state, "insufficient resources"));
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

  /** Whether no connection could be had at all, so nothing was sent to the database. */
  static boolean noConnectionCouldBeHad(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
    }
    return false;
  }
}
