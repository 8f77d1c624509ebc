package io.triggers.core.port.in;

import io.triggers.core.model.ApiKey;
import io.triggers.core.model.Organization;
import java.util.Optional;

/** Tells which organization an API key belongs to, if any. */
public interface AuthenticateApiKey {

  Optional<Organization> authenticate(ApiKey apiKey);
}
