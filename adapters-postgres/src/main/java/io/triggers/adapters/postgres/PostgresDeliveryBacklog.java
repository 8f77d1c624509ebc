package io.triggers.adapters.postgres;

import io.triggers.core.port.out.DeliveryBacklog;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The delivery backlog read from the deliveries table, in three indexed queries: the scheduled
 * deliveries through the due index (so the cost grows with the backlog, not with the table), and
 * the failed and the held ones each through their own small partial index. Each query may take a
 * few seconds at most, so a sampler never waits on a busy database for long.
 */
final class PostgresDeliveryBacklog implements DeliveryBacklog {

  private static final String DUE_NOW =
      "next_attempt_at <= :now AND (claimed_until IS NULL OR claimed_until <= :now)";

  /**
   * Written with the due index's own predicate, so that the planner reads that index. A delivery
   * whose attempt is under way (claimed, its lease not yet over) is not due, as for a claim: it
   * counts as due again, since its original due time, only once its lease has run out unrecorded.
   */
  static final String SCHEDULED =
      "SELECT count(*) FILTER (WHERE "
          + DUE_NOW
          + ") AS due,"
          + " count(*) FILTER (WHERE status = 'retrying') AS retrying,"
          + " min(next_attempt_at) FILTER (WHERE "
          + DUE_NOW
          + ") AS oldest_due"
          + " FROM deliveries WHERE "
          + PostgresDeliveryLedger.SCHEDULED;

  static final String FAILED = "SELECT count(*) FROM deliveries WHERE status = 'failed'";

  static final String HELD = "SELECT count(*) FROM deliveries WHERE status = 'held'";

  private static final int TIMEOUT_SECONDS = 5;

  private final Jdbi jdbi;

  PostgresDeliveryBacklog(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Snapshot snapshot(Instant now) {
    return SqlFailures.withHandle(
        jdbi,
        "read the delivery backlog",
        handle -> {
          long failed = count(handle, FAILED);
          long held = count(handle, HELD);
          return handle
              .createQuery(SCHEDULED)
              .setQueryTimeout(TIMEOUT_SECONDS)
              .bind("now", Timestamps.of(now))
              .map(
                  (rs, ctx) -> {
                    long due = rs.getLong("due");
                    Optional<Instant> oldest = Timestamps.read(rs, "oldest_due");
                    return new Snapshot(
                        due,
                        rs.getLong("retrying"),
                        failed,
                        held,
                        due == 0 ? Optional.empty() : oldest);
                  })
              .one();
        });
  }

  private static long count(Handle handle, String query) {
    return handle.createQuery(query).setQueryTimeout(TIMEOUT_SECONDS).mapTo(Long.class).one();
  }
}
