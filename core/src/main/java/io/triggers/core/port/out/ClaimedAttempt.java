package io.triggers.core.port.out;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.StoredEvent;
import java.util.Objects;
import java.util.Optional;

/**
 * What a won claim hands the attempt: the event with its delivery as claimed, and the endpoint as
 * the ledger read it with the claim, empty if it had been deleted. Read together so that an attempt
 * needs no second trip to the store before it sends.
 */
public record ClaimedAttempt(StoredEvent stored, Optional<Endpoint> endpoint) {

  /** Refuses missing parts. */
  public ClaimedAttempt {
    Objects.requireNonNull(stored, "stored");
    Objects.requireNonNull(endpoint, "endpoint");
  }
}
