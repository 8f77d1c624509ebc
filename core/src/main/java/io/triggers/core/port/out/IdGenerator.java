package io.triggers.core.port.out;

import io.triggers.core.model.ApiKey;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.SigningSecret;

/**
 * The source of new identifiers and secrets, so that core never draws randomness or reads the clock
 * itself.
 *
 * <p>Thread-safe. Event ids are UUIDv7 stamped with the current time and strictly increasing within
 * one generator. Keys and secrets come from a cryptographically strong source.
 */
public interface IdGenerator {

  EventId newEventId();

  OrganizationId newOrganizationId();

  /** A new random endpoint id. */
  EndpointId newEndpointId();

  ApiKey newApiKey();

  SigningSecret newSigningSecret();
}
