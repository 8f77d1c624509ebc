package io.triggers.architecture.violations.core.model;

/** A well-behaved value that the driven port below speaks in. */
public record Reading(long value) {}
