package io.triggers.core.service;

import io.triggers.core.model.ApiKey;
import io.triggers.core.model.Organization;
import io.triggers.core.port.in.AuthenticateApiKey;
import io.triggers.core.port.out.Organizations;
import java.util.Optional;

/** Looks an API key up by its hash. */
public final class AuthenticateApiKeyService implements AuthenticateApiKey {

  private final Organizations organizations;

  /** Creates the use case on the driven ports it needs. */
  public AuthenticateApiKeyService(Organizations organizations) {
    this.organizations = organizations;
  }

  @Override
  public Optional<Organization> authenticate(ApiKey apiKey) {
    return organizations.authenticate(apiKey.hash());
  }

  @Override
  public Optional<Organization> authenticateWithoutWaiting(ApiKey apiKey) {
    return organizations.authenticateWithoutWaiting(apiKey.hash());
  }
}
