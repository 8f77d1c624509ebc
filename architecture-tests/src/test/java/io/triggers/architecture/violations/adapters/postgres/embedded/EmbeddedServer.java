package io.triggers.architecture.violations.adapters.postgres.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** A well-behaved embedded server: the one place that starts zonky's PostgreSQL. */
public record EmbeddedServer(EmbeddedPostgres server) {}
