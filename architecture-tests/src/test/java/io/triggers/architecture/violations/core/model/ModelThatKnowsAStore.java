package io.triggers.architecture.violations.core.model;

import io.triggers.architecture.violations.core.port.out.Store;

/** Wrong on purpose: a model value that reaches out to a driven port. */
public record ModelThatKnowsAStore(Store store) {}
