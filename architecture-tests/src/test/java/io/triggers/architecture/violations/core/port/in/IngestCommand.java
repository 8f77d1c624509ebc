package io.triggers.architecture.violations.core.port.in;

/** Wrong on purpose: a command standing alone instead of inside its use case. */
public record IngestCommand(long value) {}
