package io.triggers.architecture.violations.core.port.out;

import io.triggers.architecture.violations.core.model.Reading;

/** A well-behaved driven port. */
public interface Store {

  void save(Reading reading);
}
