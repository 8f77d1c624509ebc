package io.triggers.adapters.redis;

import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.out.DeliveryTask;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;

/**
 * Writes a delivery task as one string, {@code <organization> <event> <endpoint> <due instant>},
 * used both as a stream entry's value and as a sorted set member; the due time keeps its
 * nanoseconds, so a task read back equals the task written. A task written before endpoints, of
 * three parts, reads as nothing: the sweep finds its delivery in the ledger.
 */
final class TaskCodec {

  private TaskCodec() {}

  static String encode(DeliveryTask task) {
    return task.organization()
        + " "
        + task.eventId()
        + " "
        + task.endpointId()
        + " "
        + task.dueAt();
  }

  /** The task, or empty if the text was not written by {@link #encode}. */
  static Optional<DeliveryTask> decode(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String[] parts = text.split(" ", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new DeliveryTask(
              OrganizationId.parse(parts[0]),
              EventId.parse(parts[1]),
              EndpointId.parse(parts[2]),
              Instant.parse(parts[3])));
    } catch (TriggersException | DateTimeException e) {
      return Optional.empty();
    }
  }

  /** The due time as a sorted set score: epoch milliseconds rounded up, so never early. */
  static long score(Instant dueAt) {
    long millis = dueAt.toEpochMilli();
    return dueAt.getNano() % 1_000_000 == 0 ? millis : millis + 1;
  }
}
