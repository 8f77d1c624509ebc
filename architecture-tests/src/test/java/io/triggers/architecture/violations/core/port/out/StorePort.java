package io.triggers.architecture.violations.core.port.out;

/** Wrong on purpose: a driven port that says it is a port. */
public interface StorePort {}
