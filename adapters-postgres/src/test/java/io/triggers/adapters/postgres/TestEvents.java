package io.triggers.adapters.postgres;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Payload;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Events for the adapter's own tests, with UUIDv7 ids that increase as they are made. */
final class TestEvents {

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private TestEvents() {}

  static OrganizationId newOrganization() {
    return new OrganizationId(UUID.randomUUID());
  }

  static Event event(OrganizationId organization, Instant createdAt) {
    return event(organization, Optional.empty(), createdAt);
  }

  static Event event(OrganizationId organization, String dedupId, Instant createdAt) {
    return event(organization, Optional.of(new DedupId(dedupId)), createdAt);
  }

  static Event event(OrganizationId organization, Optional<DedupId> dedupId, Instant createdAt) {
    return new Event(
        newId(createdAt),
        organization,
        new EventType("order.created"),
        new Payload("{\"order\": 42, \"items\": [\"a\", \"b\"]}"),
        dedupId,
        createdAt);
  }

  static EventId newId(Instant at) {
    long sequence = SEQUENCE.incrementAndGet();
    long high = (at.toEpochMilli() << 16) | 0x7000L | (sequence & 0xfffL);
    long low = 0x8000_0000_0000_0000L | (ThreadLocalRandom.current().nextLong() >>> 2);
    return new EventId(new UUID(high, low));
  }
}
