package io.triggers.core.embed;

import java.time.Duration;

/**
 * The sizes and durations the server and an embedded {@link Triggers} both build their adapters
 * with, kept in one place so that the two cannot drift apart.
 */
public final class TriggersDefaults {

  /** How long events and their dedup ids are kept unless configured otherwise. */
  public static final Duration RETENTION = Duration.ofDays(7);

  /** How often expired events are deleted. */
  public static final Duration RETENTION_PERIOD = Duration.ofMinutes(1);

  /**
   * Dedup claims kept in memory; beyond this the database's unique index answers alone. They are
   * held in a few large arrays, allocated at start, that the collector neither scans nor copies.
   */
  public static final int DEDUP_CACHE_ENTRIES = 100_000;

  /**
   * How long Redis or memory keeps a dedup claim. Claims only short-cut retries, which come within
   * minutes; the database's unique index refuses a duplicate for the whole retention, and claims
   * kept as long would make Redis hold every dedup id of the week.
   */
  public static final Duration DEDUP_CLAIM_TTL = Duration.ofHours(1);

  /** Delivery tasks held in the queue; beyond this the sweep of due deliveries catches up. */
  public static final int DELIVERY_QUEUE_CAPACITY = 100_000;

  /**
   * How long a taken delivery task stays hidden from other consumers before it is handed out again.
   */
  public static final Duration DELIVERY_VISIBILITY_TIMEOUT = Duration.ofMinutes(1);

  /**
   * How long a node may trust a cached key or webhook that another node changed, should the news of
   * the change be lost.
   */
  public static final Duration ORGANIZATION_CACHE_TTL = Duration.ofMinutes(1);

  /** Organizations a node keeps in its cache of keys and webhooks. */
  public static final int ORGANIZATION_CACHE_ENTRIES = 100_000;

  /**
   * What a claim's lease adds to the send's timeout: room to write the claim before the send and
   * the attempt's result after it, both batched with other deliveries' writes.
   */
  public static final Duration CLAIM_ROOM = Duration.ofSeconds(50);

  /** How overdue a delivery must be before the sweep queues it again. */
  public static final Duration SWEEP_GRACE = Duration.ofSeconds(5);

  /** Due deliveries the sweep reads in one page. */
  public static final int SWEEP_PAGE = 500;

  /** Due deliveries the sweep queues in one pass at most. */
  public static final int SWEEP_MAX = 10_000;

  /** How long stopping waits for webhook requests in flight when no send timeout says longer. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private TriggersDefaults() {}

  /** How long a claimed attempt is this node's alone: longer than its send may take. */
  public static Duration claimLease(Duration sendTimeout) {
    return sendTimeout.plus(CLAIM_ROOM);
  }

  /** How long a dedup claim is kept: {@link #DEDUP_CLAIM_TTL}, or the retention if shorter. */
  public static Duration dedupClaimTtl(Duration retention) {
    return retention.compareTo(DEDUP_CLAIM_TTL) < 0 ? retention : DEDUP_CLAIM_TTL;
  }
}
