package io.triggers.core.port.in;

import io.triggers.core.model.ApiKey;
import io.triggers.core.model.OrganizationId;
import java.time.Instant;
import java.util.Objects;

/** Replaces an organization's API key; the old key is refused at once. */
public interface RotateApiKey {

  /** Replaces the organization's API key with a new one; the old one stops working. */
  RotatedKey rotate(OrganizationId organization);

  /** The new key in clear text, shown this once. */
  record RotatedKey(OrganizationId organization, ApiKey apiKey, Instant rotatedAt) {
    /** Checks that every component is present and valid. */
    public RotatedKey {
      Objects.requireNonNull(organization, "organization");
      Objects.requireNonNull(apiKey, "apiKey");
      Objects.requireNonNull(rotatedAt, "rotatedAt");
    }
  }
}
