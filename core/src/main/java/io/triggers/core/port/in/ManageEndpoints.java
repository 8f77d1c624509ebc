package io.triggers.core.port.in;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.EventTypeFilter;
import io.triggers.core.model.InvalidValueException;
import io.triggers.core.model.OrganizationId;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Creates, reads, changes and deletes an organization's webhook endpoints. */
public interface ManageEndpoints {

  /**
   * Checks the URL against the target rules and stores a new enabled endpoint with a new signing
   * secret, unless the organization has as many endpoints as it may.
   */
  Created create(OrganizationId organization, NewEndpoint endpoint);

  /** The organization's endpoints, oldest first. */
  List<Endpoint> list(OrganizationId organization);

  /** The endpoint, or empty if the organization has no such endpoint. */
  Optional<Endpoint> get(OrganizationId organization, EndpointId id);

  /**
   * Applies the changes given; a new URL is checked as on creation. Enabling a paused or disabled
   * endpoint makes its held deliveries due now.
   */
  Changed change(OrganizationId organization, EndpointId id, Changes changes);

  /**
   * Deletes the endpoint; its deliveries not yet made end as failed. Returns false if the
   * organization had no such endpoint.
   */
  boolean delete(OrganizationId organization, EndpointId id);

  /** The longest grace period of a rotation, during which the secret replaced still signs. */
  Duration MAX_GRACE = Duration.ofDays(7);

  /** The grace period of a rotation unless asked otherwise. */
  Duration DEFAULT_GRACE = Duration.ofDays(1);

  /**
   * Gives the endpoint a new signing secret; the one it replaces keeps signing for {@code grace} (0
   * to {@link #MAX_GRACE}), so both sign during it, and one replaced earlier stops at once. Returns
   * the endpoint with its new secret, or empty if the organization has no such endpoint.
   */
  Optional<Endpoint> rotateSecret(OrganizationId organization, EndpointId id, Duration grace);

  /** What to create: the URL as given, its filters (none: every type) and a description. */
  record NewEndpoint(String url, List<EventTypeFilter> eventTypes, Optional<String> description) {

    /** Refuses missing parts. */
    public NewEndpoint {
      Objects.requireNonNull(url, "url");
      eventTypes = List.copyOf(eventTypes);
      Objects.requireNonNull(description, "description");
    }
  }

  /** What to change; each absent part stays as it is. */
  record Changes(
      Optional<String> url,
      Optional<List<EventTypeFilter>> eventTypes,
      Optional<String> description,
      Optional<EndpointStatus> status) {

    /**
     * Refuses missing parts and a status other than enabled or paused, which only the server sets.
     */
    public Changes {
      Objects.requireNonNull(url, "url");
      eventTypes = eventTypes.map(List::copyOf);
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(status, "status");
      if (status.filter(s -> s == EndpointStatus.DISABLED).isPresent()) {
        throw new InvalidValueException(
            "status", "status may be set to enabled or paused; only the server disables");
      }
    }
  }

  /** What {@link #create} did. */
  sealed interface Created {

    /** The endpoint is stored; its signing secret is shown this once. */
    record Stored(Endpoint endpoint) implements Created {

      /** Refuses a missing endpoint. */
      public Stored {
        Objects.requireNonNull(endpoint, "endpoint");
      }
    }

    /** The URL breaks a rule (scheme, form, or a private address); {@code reason} says which. */
    record Refused(String reason) implements Created {

      /** Refuses a missing reason. */
      public Refused {
        Objects.requireNonNull(reason, "reason");
      }
    }

    /** The organization already has {@code limit} endpoints. */
    record LimitReached(int limit) implements Created {}
  }

  /** What {@link #change} did. */
  sealed interface Changed {

    /** The endpoint as it now is. */
    record Updated(Endpoint endpoint) implements Changed {

      /** Refuses a missing endpoint. */
      public Updated {
        Objects.requireNonNull(endpoint, "endpoint");
      }
    }

    /** The new URL breaks a rule; nothing changed. */
    record Refused(String reason) implements Changed {

      /** Refuses a missing reason. */
      public Refused {
        Objects.requireNonNull(reason, "reason");
      }
    }

    /** The organization has no such endpoint. */
    record NotFound() implements Changed {}
  }
}
