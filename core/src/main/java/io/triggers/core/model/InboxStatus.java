package io.triggers.core.model;

import java.util.Locale;

/** Where an event stands with the inbox's pull consumers, as {@link InboxState#status} says. */
public enum InboxStatus {
  /** In the inbox and leasable, now or once a release's delay has passed. */
  AVAILABLE,
  /** Held by a lease that has not run out. */
  LEASED,
  /** Acknowledged (or delivered): out of the inbox. */
  ACKNOWLEDGED,
  /** Leased as many times as allowed without an ack: never leased again until revived. */
  DEAD;

  /** The name clients see. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
