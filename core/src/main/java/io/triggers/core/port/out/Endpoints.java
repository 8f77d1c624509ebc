package io.triggers.core.port.out;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.FailureStreak;
import io.triggers.core.model.OrganizationId;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The webhook endpoints of each organization, at most {@link #MAX_PER_ORGANIZATION} each.
 *
 * <p>Thread-safe; another organization's endpoints are treated as absent. A change is seen by every
 * later call on any node. When the store cannot be reached, methods throw {@link
 * io.triggers.core.model.StorageUnavailableException} and nothing changed that was not reported.
 */
public interface Endpoints {

  /** How many endpoints one organization may have. */
  int MAX_PER_ORGANIZATION = 50;

  /**
   * Stores a new endpoint of the organization unless it already has {@link #MAX_PER_ORGANIZATION}:
   * atomic, so that concurrent creations never take it past the limit.
   */
  CreateResult create(OrganizationId organization, Endpoint endpoint);

  /** The organization's endpoints, oldest first. */
  List<Endpoint> list(OrganizationId organization);

  /** The endpoint, or empty if the organization has no such endpoint. */
  Optional<Endpoint> find(OrganizationId organization, EndpointId id);

  /**
   * Replaces the stored endpoint that has {@code endpoint}'s id with it, all but its {@link
   * Endpoint#failures failures}, which only {@link #recordFailure} and {@link #clearFailures}
   * change (so that a change made from an older read loses no failed attempt); returns false,
   * changing nothing, if the organization has no such endpoint.
   */
  boolean replace(OrganizationId organization, Endpoint endpoint);

  /** Removes the endpoint; returns false if the organization had no such endpoint. */
  boolean delete(OrganizationId organization, EndpointId id);

  /**
   * Makes {@code endpoint}'s address and secret those of the organization's default endpoint (the
   * webhook of {@code /api/webhook/config}, which has no filters and is not counted against the
   * limit when set): an existing default endpoint keeps its id and creation time, is enabled and
   * loses any previous secret; otherwise {@code endpoint} becomes it. Returns the default endpoint
   * as stored.
   */
  Endpoint saveDefault(OrganizationId organization, Endpoint endpoint);

  /** The organization's default endpoint, if it has one. */
  Optional<Endpoint> findDefault(OrganizationId organization);

  /** Removes the organization's default endpoint; returns its id, or empty if it had none. */
  Optional<EndpointId> deleteDefault(OrganizationId organization);

  /**
   * Adds one failed attempt, made at {@code at}, to the endpoint's failures, starting them at
   * {@code at} if it had none; returns them as they now are, or empty if the organization has no
   * such endpoint. Atomic: concurrent calls, on one node or many, each add their attempt.
   */
  default Optional<FailureStreak> recordFailure(
      OrganizationId organization, EndpointId id, Instant at) {
    return recordFailures(organization, id, at, 1);
  }

  /**
   * Adds {@code count} (at least one) failed attempts, the first made at {@code firstAt}, to the
   * endpoint's failures, starting them at {@code firstAt} if it had none; returns them as they now
   * are, or empty if the organization has no such endpoint. Atomic, as {@link #recordFailure}.
   *
   * @throws IllegalArgumentException if {@code count} is below one
   */
  Optional<FailureStreak> recordFailures(
      OrganizationId organization, EndpointId id, Instant firstAt, int count);

  /**
   * Ends the endpoint's failures after a successful attempt; does nothing (and writes nothing) if
   * it has none or does not exist.
   */
  void clearFailures(OrganizationId organization, EndpointId id);

  /**
   * Disables the endpoint from {@code at} if it is enabled and its address is still {@code url};
   * returns whether this call disabled it. Atomic: of concurrent calls, at most one returns true.
   */
  boolean disable(OrganizationId organization, EndpointId id, URI url, Instant at);

  /** What {@link #create} did. */
  sealed interface CreateResult {

    /** The endpoint is stored. */
    record Created(Endpoint endpoint) implements CreateResult {

      /** Refuses a missing endpoint. */
      public Created {
        Objects.requireNonNull(endpoint, "endpoint");
      }
    }

    /** The organization already has as many endpoints as it may; nothing was stored. */
    record LimitReached(int limit) implements CreateResult {}
  }
}
