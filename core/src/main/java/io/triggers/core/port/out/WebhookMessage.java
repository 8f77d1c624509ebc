package io.triggers.core.port.out;

import io.triggers.core.model.Event;
import io.triggers.core.model.SigningSecret;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * One webhook request to make: the event to POST to {@code url}, signed with {@code secret} and
 * stamped with {@code timestamp} (the {@code webhook-timestamp} header, in whole seconds).
 */
public record WebhookMessage(URI url, SigningSecret secret, Event event, Instant timestamp) {

  /** Checks that every component is present and valid. */
  public WebhookMessage {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(timestamp, "timestamp");
  }
}
