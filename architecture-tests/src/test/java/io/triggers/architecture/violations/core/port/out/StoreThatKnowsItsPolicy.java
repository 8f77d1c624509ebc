package io.triggers.architecture.violations.core.port.out;

import io.triggers.architecture.violations.core.policy.ReadingLimit;

/** Wrong on purpose: a driven port that names a rule of the use cases. */
public interface StoreThatKnowsItsPolicy {

  ReadingLimit limit();
}
