package io.triggers.adapters.postgres;

import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the inserts of {@link EventInserts} did with a batch's rows so far, read from their answers:
 * which rows were refused for a taken dedup id in the last round that tried them (a later round may
 * store a row an earlier one refused), and the endpoints the deliveries of the stored ones are due
 * to now. Every row tried and not refused was stored.
 */
final class InsertedEvents {

  private final Set<UUID> refused = new HashSet<>();
  private final Map<UUID, List<EndpointId>> due = new HashMap<>();

  /**
   * Reads the answer of an insert of {@code rows}: a row with no endpoint for each refused event, a
   * row per endpoint due now for the stored ones. Answers the ids of the refused events.
   */
  Set<UUID> read(ResultSet answer, List<Event> rows) throws SQLException {
    Set<UUID> refusedNow = new HashSet<>();
    while (answer.next()) {
      UUID id = answer.getObject(1, UUID.class);
      UUID endpoint = answer.getObject(2, UUID.class);
      if (endpoint == null) {
        refusedNow.add(id);
      } else {
        due.computeIfAbsent(id, key -> new ArrayList<>()).add(new EndpointId(endpoint));
      }
    }
    if (!refused.isEmpty()) {
      rows.forEach(row -> refused.remove(row.id().value()));
    }
    refused.addAll(refusedNow);
    return refusedNow;
  }

  /** Whether the event, one of the batch's rows, was stored. */
  boolean stored(EventId event) {
    return !refused.contains(event.value());
  }

  List<EndpointId> dueTo(EventId event) {
    return due.getOrDefault(event.value(), List.of());
  }
}
