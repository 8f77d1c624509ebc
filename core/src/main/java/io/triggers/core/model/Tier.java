package io.triggers.core.model;

import java.util.Locale;

/** A plan with its ingest allowance, counted in events per minute. */
public enum Tier {
  /** A hundred events a minute. */
  FREE(100),
  /** A thousand events a minute. */
  PRO(1_000),
  /** Ten thousand events a minute. */
  BUSINESS(10_000),
  /** A hundred thousand events a minute. */
  ENTERPRISE(100_000);

  private final int eventsPerMinute;

  Tier(int eventsPerMinute) {
    this.eventsPerMinute = eventsPerMinute;
  }

  /** How many events an organization of this tier may send a minute. */
  public int eventsPerMinute() {
    return eventsPerMinute;
  }

  /** The lower-case name used on the wire. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The tier the HTTP API's lower-case name stands for; refuses any other text. */
  public static Tier parse(String text) {
    for (Tier tier : values()) {
      if (tier.wireName().equals(text)) {
        return tier;
      }
    }
    throw new InvalidValueException("tier", "tier must be one of free, pro, business, enterprise");
  }
}
