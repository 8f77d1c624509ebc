package io.triggers.adapters.postgres;

import io.triggers.core.model.Event;
import io.triggers.core.model.OrganizationId;
import java.util.Comparator;

/** A dedup id within its organization: what the unique index keys on. */
record DedupKey(OrganizationId organization, String dedupId) {

  /** Events with a dedup id by organization, then id; those without after them. */
  static final Comparator<Event> INSERT_ORDER = DedupKey::compareForInsert;

  static DedupKey of(Event event) {
    return new DedupKey(event.organizationId(), event.dedupId().orElseThrow().value());
  }

  /** As {@link #INSERT_ORDER}, comparing in place: a sort makes many comparisons a row. */
  private static int compareForInsert(Event a, Event b) {
    if (a.dedupId().isEmpty() || b.dedupId().isEmpty()) {
      return Boolean.compare(a.dedupId().isEmpty(), b.dedupId().isEmpty());
    }
    int byOrganization = a.organizationId().value().compareTo(b.organizationId().value());
    return byOrganization != 0
        ? byOrganization
        : a.dedupId().get().value().compareTo(b.dedupId().get().value());
  }
}
