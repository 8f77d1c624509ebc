/**
 * The zero-configuration database of a single node: a PostgreSQL server that this process sets up
 * in its data directory, starts, watches and restarts; {@link
 * io.triggers.adapters.postgres.embedded.EmbeddedPostgresServer} is the entry point.
 */
package io.triggers.adapters.postgres.embedded;
