package io.triggers.core.memory;

import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.testing.AdmissionContract;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;

class LocalAdmissionTest extends AdmissionContract {

  private Deduplicator deduplicator;

  @Override
  protected Admission newAdmission(MutableClock clock) {
    deduplicator = new InMemoryDeduplicator(clock, Duration.ofMinutes(10), 1_000);
    return new LocalAdmission(new LocalRateLimiter(clock), deduplicator);
  }

  @Override
  protected Deduplicator deduplicator() {
    return deduplicator;
  }
}
