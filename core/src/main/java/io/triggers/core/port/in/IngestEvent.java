package io.triggers.core.port.in;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.Organization;
import io.triggers.core.model.Payload;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.TriggersException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Accepts events from an organization: rate-limited, deduplicated, and durably stored before an
 * {@link Outcome.Accepted} is returned.
 */
public interface IngestEvent {

  /** The most events one batch may carry. */
  int MAX_BATCH_SIZE = 100;

  /**
   * Ingests one event of {@code organization}, waiting until it is stored or refused; throws what
   * {@link #ingestAsync} fails with.
   */
  default Outcome ingest(Organization organization, Command command) {
    return await(ingestAsync(organization, command));
  }

  /**
   * Ingests one event as {@link #ingest} does without waiting: the stage completes with the
   * outcome, once the event is durable if it is accepted, or fails with what {@code ingest} would
   * throw, on whichever thread finishes the work; its continuations must not block that thread.
   */
  CompletionStage<Outcome> ingestAsync(Organization organization, Command command);

  /**
   * Ingests up to {@link #MAX_BATCH_SIZE} events in one transaction, counting each one, and waits
   * for the outcome; throws what {@link #ingestBatchAsync} fails with.
   */
  default BatchOutcome ingestBatch(Organization organization, List<Command> commands) {
    return await(ingestBatchAsync(organization, commands));
  }

  /**
   * Ingests a batch as {@link #ingestBatch} does without waiting, completing as {@link
   * #ingestAsync} does; a batch of the wrong size is refused at once with an {@link
   * IllegalArgumentException}.
   */
  CompletionStage<BatchOutcome> ingestBatchAsync(Organization organization, List<Command> commands);

  /** Waits for a stage, throwing what it failed with as itself. */
  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new TriggersException("ingest failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TriggersException(
          "interrupted while waiting for ingest; the events may or may not be stored", e);
    }
  }

  /** One event to ingest. */
  record Command(EventType type, Payload payload, Optional<DedupId> dedupId) {
    /** Checks that every component is present and valid. */
    public Command {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(payload, "payload");
      Objects.requireNonNull(dedupId, "dedupId");
    }
  }

  /** What happened to one event. */
  sealed interface Outcome {

    /** Stored durably. */
    record Accepted(Event event, RateLimit.Allowed rateLimit) implements Outcome {}

    /** Its dedup id was already used by {@code original}; nothing new was stored. */
    record Duplicate(EventId original, RateLimit.Allowed rateLimit) implements Outcome {}

    /** Over the organization's allowance; nothing was stored. */
    record RateLimited(RateLimit.Denied rateLimit) implements Outcome {}
  }

  /** What happened to a batch. */
  sealed interface BatchOutcome {

    /** Each event's result, in the order of the commands. */
    record Processed(List<ItemResult> results, RateLimit.Allowed rateLimit)
        implements BatchOutcome {
      /** Keeps an unmodifiable copy of the list. */
      public Processed {
        results = List.copyOf(results);
      }
    }

    /** The batch as a whole is over the allowance; nothing was stored. */
    record RateLimited(RateLimit.Denied rateLimit) implements BatchOutcome {}
  }

  /** One event's result within a batch. */
  sealed interface ItemResult {

    /** The event was stored. */
    record Accepted(Event event) implements ItemResult {}

    /** An event with the same dedup id is already stored, as {@code original}. */
    record Duplicate(EventId original) implements ItemResult {}
  }
}
