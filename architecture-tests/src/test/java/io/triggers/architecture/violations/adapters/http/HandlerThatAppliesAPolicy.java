package io.triggers.architecture.violations.adapters.http;

import io.triggers.architecture.violations.core.policy.ReadingLimit;

/** Wrong on purpose: an adapter that applies a rule of the use cases itself. */
public record HandlerThatAppliesAPolicy(ReadingLimit limit) {}
