package io.triggers.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * The signing secret an endpoint had before its last rotation, which still signs its requests until
 * {@code expiresAt}, so that receivers can switch to the new one without refusing any.
 */
public record PreviousSecret(SigningSecret secret, Instant expiresAt) {

  /** Refuses missing parts. */
  public PreviousSecret {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Whether it still signs at {@code now}. */
  public boolean signsAt(Instant now) {
    return now.isBefore(expiresAt);
  }
}
