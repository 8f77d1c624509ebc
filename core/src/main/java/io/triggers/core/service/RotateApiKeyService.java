package io.triggers.core.service;

import io.triggers.core.model.ApiKey;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.in.RotateApiKey;
import io.triggers.core.port.out.IdGenerator;
import io.triggers.core.port.out.Organizations;
import java.time.Clock;

/** Swaps an organization's key for a fresh one. */
public final class RotateApiKeyService implements RotateApiKey {

  private final Organizations organizations;
  private final IdGenerator ids;
  private final Clock clock;

  /** Creates the use case on the driven ports it needs. */
  public RotateApiKeyService(Organizations organizations, IdGenerator ids, Clock clock) {
    this.organizations = organizations;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public RotatedKey rotate(OrganizationId organization) {
    ApiKey apiKey = ids.newApiKey();
    if (!organizations.replaceKey(organization, apiKey.hash())) {
      throw new TriggersException("organization " + organization + " vanished while rotating");
    }
    return new RotatedKey(organization, apiKey, clock.instant());
  }
}
