package io.triggers.core.model;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/** Where an organization wants its events pushed, and the secret the requests are signed with. */
public record Webhook(URI url, SigningSecret signingSecret, Instant updatedAt) {

  /** Checks that every component is present and valid. */
  public Webhook {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(signingSecret, "signingSecret");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }
}
