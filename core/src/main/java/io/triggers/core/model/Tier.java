package io.triggers.core.model;

import java.util.Locale;

/** A plan with its ingest allowance, counted in events per minute. */
public enum Tier {
  FREE(100),
  PRO(1_000),
  BUSINESS(10_000),
  ENTERPRISE(100_000);

  private final int eventsPerMinute;

  Tier(int eventsPerMinute) {
    this.eventsPerMinute = eventsPerMinute;
  }

  public int eventsPerMinute() {
    return eventsPerMinute;
  }

  /** The lower-case name used on the wire. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Tier parse(String text) {
    for (Tier tier : values()) {
      if (tier.wireName().equals(text)) {
        return tier;
      }
    }
    throw new InvalidValueException("tier", "tier must be one of free, pro, business, enterprise");
  }
}
