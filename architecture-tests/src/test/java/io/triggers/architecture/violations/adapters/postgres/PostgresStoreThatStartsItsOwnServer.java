package io.triggers.architecture.violations.adapters.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** Wrong on purpose: the PostgreSQL adapter deciding to run an embedded server. */
public record PostgresStoreThatStartsItsOwnServer(EmbeddedPostgres server) {}
