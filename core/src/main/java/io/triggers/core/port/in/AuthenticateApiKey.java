package io.triggers.core.port.in;

import io.triggers.core.model.ApiKey;
import io.triggers.core.model.Organization;
import java.util.Optional;

/** Tells which organization an API key belongs to, if any. */
public interface AuthenticateApiKey {

  /** The organization that owns {@code apiKey}, or empty if none does. */
  Optional<Organization> authenticate(ApiKey apiKey);

  /**
   * The organization that owns {@code apiKey} if that is known without waiting for a store; empty
   * when only {@link #authenticate} can tell. Never blocks, so an IO thread may call it.
   */
  default Optional<Organization> authenticateWithoutWaiting(ApiKey apiKey) {
    return Optional.empty();
  }
}
