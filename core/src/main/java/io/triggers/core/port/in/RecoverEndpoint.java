package io.triggers.core.port.in;

import io.triggers.core.model.EndpointId;
import io.triggers.core.model.OrganizationId;
import java.time.Instant;

/**
 * Tries again every delivery to one of the organization's endpoints that failed for good, of the
 * events created since a time: each is due at once with a fresh retry schedule, or held while the
 * endpoint is paused or disabled, to go out once it is enabled.
 */
public interface RecoverEndpoint {

  /** Recovers the endpoint's failed deliveries of the events created at or after {@code since}. */
  Outcome recover(OrganizationId organization, EndpointId endpoint, Instant since);

  /** What asking for a recovery did. */
  sealed interface Outcome {

    /**
     * {@code requeued} failed deliveries are due again (or held, if {@code held}); the sweep queues
     * the due ones within seconds.
     */
    record Recovered(int requeued, boolean held) implements Outcome {}

    /** There is no such endpoint for this organization. */
    record NotFound() implements Outcome {}

    /** {@code since} is in the future: no event was created then yet. */
    record SinceInFuture() implements Outcome {}
  }
}
