package io.triggers.architecture.violations.bootstrap;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/** Wrong on purpose: bootstrap doing the PostgreSQL adapter's work. */
public record BootstrapThatOpensTheDatabase(
    HikariDataSource pool, PGSimpleDataSource driver, Jdbi jdbi, Flyway flyway) {}
