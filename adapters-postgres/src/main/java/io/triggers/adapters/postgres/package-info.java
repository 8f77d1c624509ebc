/**
 * PostgreSQL implementations of the event store, organizations and health-check ports (Jdbi over
 * HikariCP), with the schema's Flyway migrations; {@link
 * io.triggers.adapters.postgres.PostgresDatabase} opens the pool, migrates and makes them.
 */
package io.triggers.adapters.postgres;
