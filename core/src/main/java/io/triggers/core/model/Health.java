package io.triggers.core.model;

import java.util.Objects;

/** What one dependency reports about itself when readiness is checked. */
public record Health(Status status, String detail) {

  /** UP serves normally, DEGRADED serves with a fallback, DOWN cannot serve. */
  public enum Status {
    /** Serves normally. */
    UP,
    /** Serves, with a fallback. */
    DEGRADED,
    /** Cannot serve. */
    DOWN
  }

  /** Checks that every component is present and valid. */
  public Health {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(detail, "detail");
  }

  /** The answer of a dependency that serves normally. */
  public static Health up() {
    return new Health(Status.UP, "ok");
  }
}
