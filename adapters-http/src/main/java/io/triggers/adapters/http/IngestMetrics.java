package io.triggers.adapters.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.triggers.core.model.Tier;
import java.util.Locale;

/**
 * What ingest did, as Triggers's own series: {@code triggers_ingest_events_total{result,tier}} per
 * event, {@code triggers_ingest_batch_size} per batch request and {@code
 * triggers_rate_limit_denials_total{tier}} per refused request. Every meter is built up front (four
 * tiers, four results), so recording is an array lookup and an increment.
 */
final class IngestMetrics {

  static final String EVENTS = "triggers.ingest.events";
  static final String BATCH_SIZE = "triggers.ingest.batch.size";
  static final String DENIALS = "triggers.rate.limit.denials";

  /** Up to the largest batch allowed; a batch is never larger. */
  static final double[] BATCH_BUCKETS = {1, 2, 5, 10, 20, 50, 100};

  /** How ingest judged one event. */
  enum Result {
    /** Stored; a 202. */
    ACCEPTED,
    /** Refused as the repeat of a stored event. */
    DUPLICATE,
    /** Refused for the organization's rate limit. */
    RATE_LIMITED,
    /** Refused as invalid, within a batch whose other events were judged. */
    REJECTED
  }

  private final Counter[][] events = new Counter[Tier.values().length][Result.values().length];
  private final Counter[] denials = new Counter[Tier.values().length];
  private final DistributionSummary batchSize;

  IngestMetrics(MeterRegistry registry) {
    for (Tier tier : Tier.values()) {
      String tierName = tier.wireName();
      for (Result result : Result.values()) {
        events[tier.ordinal()][result.ordinal()] =
            Counter.builder(EVENTS)
                .description(
                    "events ingested, by how they were judged and the tier of their sender")
                .tag("result", result.name().toLowerCase(Locale.ROOT))
                .tag("tier", tierName)
                .register(registry);
      }
      denials[tier.ordinal()] =
          Counter.builder(DENIALS)
              .description("ingest requests refused for the rate limit, by tier")
              .tag("tier", tierName)
              .register(registry);
    }
    this.batchSize =
        DistributionSummary.builder(BATCH_SIZE)
            .description("events per batch request")
            .serviceLevelObjectives(BATCH_BUCKETS)
            .register(registry);
  }

  void events(Tier tier, Result result, int count) {
    if (count > 0) {
      events[tier.ordinal()][result.ordinal()].increment(count);
    }
  }

  void denied(Tier tier) {
    denials[tier.ordinal()].increment();
  }

  void batch(int size) {
    batchSize.record(size);
  }
}
