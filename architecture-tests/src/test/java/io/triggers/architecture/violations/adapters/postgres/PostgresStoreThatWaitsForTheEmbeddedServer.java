package io.triggers.architecture.violations.adapters.postgres;

import io.triggers.architecture.violations.adapters.postgres.embedded.EmbeddedServer;

/** Wrong on purpose: the PostgreSQL adapter that works only with the embedded server. */
public record PostgresStoreThatWaitsForTheEmbeddedServer(EmbeddedServer server) {}
