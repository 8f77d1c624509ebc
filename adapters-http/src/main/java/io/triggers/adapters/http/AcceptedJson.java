package io.triggers.adapters.http;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.Event;

/** The body of the 202 that answers an accepted event. */
record AcceptedJson(String id, String status, String type, String dedupId, String createdAt) {

  static AcceptedJson of(Event event) {
    return new AcceptedJson(
        event.id().toString(),
        "accepted",
        event.type().value(),
        event.dedupId().map(DedupId::value).orElse(null),
        event.createdAt().toString());
  }

  /** This reply as {@link Json} would write it, without a data-bound writer: every 202 has one. */
  byte[] toJson() {
    return new JsonText(160)
        .raw("{\"id\":")
        .string(id)
        .raw(",\"status\":")
        .string(status)
        .raw(",\"type\":")
        .string(type)
        .raw(",\"dedup_id\":")
        .string(dedupId)
        .raw(",\"created_at\":")
        .string(createdAt)
        .raw("}")
        .toBytes();
  }
}
