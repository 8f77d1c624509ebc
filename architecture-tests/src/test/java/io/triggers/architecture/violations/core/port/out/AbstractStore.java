package io.triggers.architecture.violations.core.port.out;

/** Wrong on purpose: a driven port with behaviour in it. */
public abstract class AbstractStore implements Store {}
