package io.triggers.core.port.out;

import io.triggers.core.model.ApiKey;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EventId;
import io.triggers.core.model.LeaseId;
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

  /** A new event id, a UUIDv7 of the current time. */
  EventId newEventId();

  /** A new organization id. */
  OrganizationId newOrganizationId();

  /** A new random endpoint id. */
  EndpointId newEndpointId();

  /** A new random API key. */
  ApiKey newApiKey();

  /** A new random webhook signing secret. */
  SigningSecret newSigningSecret();

  /** A lease id nobody can guess, from a cryptographically strong source. */
  LeaseId newLeaseId();
}
