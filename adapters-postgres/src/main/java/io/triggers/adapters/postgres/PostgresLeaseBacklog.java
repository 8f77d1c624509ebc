package io.triggers.adapters.postgres;

import io.triggers.core.port.out.LeaseBacklog;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * The inbox leases counted from the events table in one query over the small partial index of the
 * events ever leased and still in an inbox ({@code events_leased_idx}), so that its cost grows with
 * what the consumers hold and the dead events, not with the table. It may take a few seconds at
 * most, so a sampler never waits on a busy database for long.
 */
final class PostgresLeaseBacklog implements LeaseBacklog {

  /** Written with the leased index's own predicate, so that the planner reads that index. */
  static final String COUNT =
      "SELECT count(*) FILTER (WHERE lease_id IS NOT NULL AND leasable_at > :now) AS leased,"
          + " count(*) FILTER (WHERE "
          + LeaseSql.DEAD
          + ") AS dead"
          + " FROM events WHERE lease_count > 0 AND delivery_status <> 'delivered'";

  private static final int TIMEOUT_SECONDS = 5;

  private final Jdbi jdbi;

  PostgresLeaseBacklog(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Snapshot snapshot(Instant now, int maxLeases) {
    return SqlFailures.withHandle(
        jdbi,
        "count the inbox leases",
        handle ->
            handle
                .createQuery(COUNT)
                .setQueryTimeout(TIMEOUT_SECONDS)
                .bind("now", Timestamps.of(now))
                .bind("max", maxLeases)
                .map((rs, ctx) -> new Snapshot(rs.getLong("leased"), rs.getLong("dead")))
                .one());
  }
}
