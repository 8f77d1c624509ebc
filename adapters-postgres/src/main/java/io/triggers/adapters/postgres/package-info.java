/** PostgreSQL implementations of the persistence and authentication ports (Jdbi, HikariCP). */
package io.triggers.adapters.postgres;
