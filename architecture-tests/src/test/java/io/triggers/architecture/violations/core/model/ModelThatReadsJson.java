package io.triggers.architecture.violations.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Wrong on purpose: a model value that parses JSON with Jackson. */
public record ModelThatReadsJson(ObjectMapper mapper) {}
