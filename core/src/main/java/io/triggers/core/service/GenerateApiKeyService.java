package io.triggers.core.service;

import io.triggers.core.model.ApiKey;
import io.triggers.core.model.Organization;
import io.triggers.core.port.in.GenerateApiKey;
import io.triggers.core.port.out.IdGenerator;
import io.triggers.core.port.out.Organizations;
import java.time.Clock;

/** Creates an organization with a fresh key; only the key's hash is stored. */
public final class GenerateApiKeyService implements GenerateApiKey {

  private final Organizations organizations;
  private final IdGenerator ids;
  private final Clock clock;

  /** Creates the use case on the driven ports it needs. */
  public GenerateApiKeyService(Organizations organizations, IdGenerator ids, Clock clock) {
    this.organizations = organizations;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public IssuedKey generate(Command command) {
    Organization organization =
        new Organization(ids.newOrganizationId(), command.name(), command.tier(), clock.instant());
    ApiKey apiKey = ids.newApiKey();
    organizations.create(organization, apiKey.hash());
    return new IssuedKey(organization, apiKey);
  }
}
