package io.triggers.architecture.violations.core.service;

import java.time.Duration;

/** Wrong on purpose: a rule shared by use cases, kept among them instead of in the policies. */
public final class RetryDelays {

  /** How long to wait before the given attempt. */
  public Duration before(int attempt) {
    return Duration.ofSeconds(attempt);
  }
}
