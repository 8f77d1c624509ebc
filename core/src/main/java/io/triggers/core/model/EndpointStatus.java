package io.triggers.core.model;

import java.util.Locale;

/**
 * Whether an endpoint is sent its deliveries: {@code enabled} it is; {@code paused} (by its owner)
 * and {@code disabled} (by the server, after it kept failing or answered 410) hold them until it is
 * enabled again.
 */
public enum EndpointStatus {
  /** Sent its deliveries. */
  ENABLED,
  /** Paused by its owner: its deliveries are held until it is enabled again. */
  PAUSED,
  /** Disabled by the server: its deliveries are held until its owner enables it again. */
  DISABLED;

  /** The status as clients and the store write it: lower case. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status named by {@code text} as {@link #wireName} writes it; refuses any other text. */
  public static EndpointStatus parse(String text) {
    for (EndpointStatus status : values()) {
      if (status.wireName().equals(text)) {
        return status;
      }
    }
    throw new InvalidValueException("status", "status must be one of enabled, paused, disabled");
  }
}
