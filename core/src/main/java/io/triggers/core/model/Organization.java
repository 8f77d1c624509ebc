package io.triggers.core.model;

import java.time.Instant;
import java.util.Objects;

/** A tenant of Triggers: what an API key authenticates as. */
public record Organization(OrganizationId id, OrganizationName name, Tier tier, Instant createdAt) {

  /** Checks that every component is present and valid. */
  public Organization {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tier, "tier");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
