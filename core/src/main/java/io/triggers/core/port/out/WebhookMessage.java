package io.triggers.core.port.out;

import io.triggers.core.model.Event;
import io.triggers.core.model.SigningSecret;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One webhook request to make: the event to POST to {@code url}, signed with {@code secret} (and
 * with {@code previousSecret} too, during a rotation's grace period) and stamped with {@code
 * timestamp} (the {@code webhook-timestamp} header, in whole seconds).
 */
public record WebhookMessage(
    URI url,
    SigningSecret secret,
    Optional<SigningSecret> previousSecret,
    Event event,
    Instant timestamp) {

  /** Refuses missing parts. */
  public WebhookMessage {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(previousSecret, "previousSecret");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(timestamp, "timestamp");
  }

  /** A request signed with one secret. */
  public WebhookMessage(URI url, SigningSecret secret, Event event, Instant timestamp) {
    this(url, secret, Optional.empty(), event, timestamp);
  }
}
