package io.triggers.architecture.violations.core.policy;

import io.triggers.architecture.violations.core.model.Reading;

/** A well-behaved policy: a rule over the model alone. */
public record ReadingLimit(long most) {

  /** Whether the reading is within the limit. */
  public boolean allows(Reading reading) {
    return reading.value() <= most;
  }
}
