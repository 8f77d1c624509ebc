package io.triggers.adapters.postgres;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.EventTypeFilter;
import io.triggers.core.model.FailureStreak;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.PreviousSecret;
import io.triggers.core.model.SigningSecret;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.out.Endpoints;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The organizations' endpoints on PostgreSQL, read fresh on every call. A creation locks its
 * organization's row, so that concurrent creations count the endpoints one after the other.
 */
final class PostgresEndpoints implements Endpoints {

  private final Jdbi jdbi;

  PostgresEndpoints(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public CreateResult create(OrganizationId organization, Endpoint endpoint) {
    return SqlFailures.withHandle(
        jdbi,
        "create an endpoint",
        handle ->
            handle.inTransaction(
                h -> {
                  if (h.createQuery(EndpointSql.LOCK_ORGANIZATION)
                      .bind("org", organization.value())
                      .mapTo(UUID.class)
                      .findOne()
                      .isEmpty()) {
                    throw new TriggersException(
                        "no organization " + organization + " to create an endpoint for");
                  }
                  int created =
                      bindEndpoint(h.createUpdate(EndpointSql.CREATE), organization, endpoint)
                          .bind("createdAt", Timestamps.of(endpoint.createdAt()))
                          .bind("max", MAX_PER_ORGANIZATION)
                          .execute();
                  return created > 0
                      ? new CreateResult.Created(endpoint)
                      : new CreateResult.LimitReached(MAX_PER_ORGANIZATION);
                }));
  }

  @Override
  public List<Endpoint> list(OrganizationId organization) {
    return SqlFailures.withHandle(
        jdbi,
        "list endpoints",
        handle ->
            handle
                .createQuery(EndpointSql.LIST)
                .bind("org", organization.value())
                .map((rs, ctx) -> endpoint(rs))
                .list());
  }

  @Override
  public Optional<Endpoint> find(OrganizationId organization, EndpointId id) {
    return SqlFailures.withHandle(
        jdbi, "find an endpoint", handle -> find(handle, organization, id));
  }

  @Override
  public boolean replace(OrganizationId organization, Endpoint endpoint) {
    return SqlFailures.withHandle(
        jdbi,
        "change an endpoint",
        handle ->
            bindEndpoint(handle.createUpdate(EndpointSql.REPLACE), organization, endpoint).execute()
                > 0);
  }

  @Override
  public boolean delete(OrganizationId organization, EndpointId id) {
    return SqlFailures.withHandle(
        jdbi,
        "delete an endpoint",
        handle ->
            handle
                    .createUpdate(EndpointSql.DELETE)
                    .bind("org", organization.value())
                    .bind("id", id.value())
                    .execute()
                > 0);
  }

  @Override
  public Endpoint saveDefault(OrganizationId organization, Endpoint endpoint) {
    try {
      return jdbi.withHandle(
          handle ->
              handle
                  .createQuery(EndpointSql.SAVE_DEFAULT)
                  .bind("org", organization.value())
                  .bind("id", endpoint.id().value())
                  .bind("url", endpoint.url().toString())
                  .bind("secret", endpoint.signingSecret().value())
                  .bind("createdAt", Timestamps.of(endpoint.createdAt()))
                  .bind("updatedAt", Timestamps.of(endpoint.updatedAt()))
                  .map((rs, ctx) -> endpoint(rs))
                  .one());
    } catch (RuntimeException e) {
      if (SqlFailures.hasState(e, SqlFailures.FOREIGN_KEY_VIOLATION)) {
        throw new TriggersException(
            "no organization " + organization + " to save a webhook for", e);
      }
      throw SqlFailures.translate("save a webhook", e);
    }
  }

  @Override
  public Optional<Endpoint> findDefault(OrganizationId organization) {
    return SqlFailures.withHandle(
        jdbi,
        "read a webhook",
        handle ->
            handle
                .createQuery(EndpointSql.FIND_DEFAULT)
                .bind("org", organization.value())
                .map((rs, ctx) -> endpoint(rs))
                .findOne());
  }

  @Override
  public Optional<EndpointId> deleteDefault(OrganizationId organization) {
    return SqlFailures.withHandle(
        jdbi,
        "delete a webhook",
        handle ->
            handle
                .createQuery(EndpointSql.DELETE_DEFAULT)
                .bind("org", organization.value())
                .mapTo(UUID.class)
                .findOne()
                .map(EndpointId::new));
  }

  @Override
  public Optional<FailureStreak> recordFailures(
      OrganizationId organization, EndpointId id, Instant firstAt, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    return SqlFailures.withHandle(
        jdbi,
        "record an endpoint's failure",
        handle ->
            handle
                .createQuery(EndpointSql.RECORD_FAILURE)
                .bind("org", organization.value())
                .bind("id", id.value())
                .bind("at", Timestamps.of(firstAt))
                .bind("count", count)
                .map((rs, ctx) -> failures(rs, "").orElseThrow())
                .findOne());
  }

  @Override
  public void clearFailures(OrganizationId organization, EndpointId id) {
    SqlFailures.withHandle(
        jdbi,
        "clear an endpoint's failures",
        handle ->
            handle
                .createUpdate(EndpointSql.CLEAR_FAILURES)
                .bind("org", organization.value())
                .bind("id", id.value())
                .execute());
  }

  @Override
  public boolean disable(OrganizationId organization, EndpointId id, URI url, Instant at) {
    return SqlFailures.withHandle(
        jdbi,
        "disable an endpoint",
        handle ->
            handle
                    .createUpdate(EndpointSql.DISABLE)
                    .bind("org", organization.value())
                    .bind("id", id.value())
                    .bind("url", url.toString())
                    .bind("at", Timestamps.of(at))
                    .execute()
                > 0);
  }

  private static Optional<Endpoint> find(
      Handle handle, OrganizationId organization, EndpointId id) {
    return handle
        .createQuery(EndpointSql.FIND)
        .bind("org", organization.value())
        .bind("id", id.value())
        .map((rs, ctx) -> endpoint(rs))
        .findOne();
  }

  private static <S extends SqlStatement<S>> S bindEndpoint(
      S statement, OrganizationId organization, Endpoint endpoint) {
    return statement
        .bind("org", organization.value())
        .bind("id", endpoint.id().value())
        .bind("url", endpoint.url().toString())
        .bind("secret", endpoint.signingSecret().value())
        .bind(
            "previousSecret",
            endpoint.previousSecret().map(previous -> previous.secret().value()).orElse(null))
        .bind(
            "previousExpiresAt",
            endpoint
                .previousSecret()
                .map(previous -> Timestamps.of(previous.expiresAt()))
                .orElse(null))
        .bind(
            "eventTypes",
            endpoint.eventTypes().stream().map(EventTypeFilter::value).toArray(String[]::new))
        .bind("description", endpoint.description().orElse(null))
        .bind("status", endpoint.status().wireName())
        .bind("updatedAt", Timestamps.of(endpoint.updatedAt()));
  }

  private static Endpoint endpoint(ResultSet rs) throws SQLException {
    return endpoint(rs, "");
  }

  /**
   * The endpoint's columns of {@code table} (an alias), each named after the column with {@code
   * prefix} before it, for a statement that reads them beside another table's.
   */
  static String columns(String table, String prefix) {
    return Arrays.stream(EndpointSql.COLUMNS.split(", *"))
        .map(column -> table + "." + column + " AS " + prefix + column)
        .collect(Collectors.joining(", "));
  }

  /** The endpoint in the current row, its columns named with {@code prefix} before them. */
  static Endpoint endpoint(ResultSet rs, String prefix) throws SQLException {
    Optional<Instant> previousExpiresAt =
        Timestamps.read(rs, prefix + "previous_secret_expires_at");
    String previousSecret = rs.getString(prefix + "previous_secret");
    Optional<PreviousSecret> previous =
        previousExpiresAt.map(
            expiresAt -> new PreviousSecret(new SigningSecret(previousSecret), expiresAt));
    String[] eventTypes = (String[]) rs.getArray(prefix + "event_types").getArray();
    return new Endpoint(
        new EndpointId(rs.getObject(prefix + "id", UUID.class)),
        URI.create(rs.getString(prefix + "url")),
        new SigningSecret(rs.getString(prefix + "signing_secret")),
        previous,
        Arrays.stream(eventTypes).map(EventTypeFilter::new).toList(),
        Optional.ofNullable(rs.getString(prefix + "description")),
        EndpointStatus.parse(rs.getString(prefix + "status")),
        Timestamps.read(rs, prefix + "created_at").orElseThrow(),
        Timestamps.read(rs, prefix + "updated_at").orElseThrow(),
        failures(rs, prefix));
  }

  private static Optional<FailureStreak> failures(ResultSet rs, String prefix) throws SQLException {
    int attempts = rs.getInt(prefix + "failed_attempts");
    return Timestamps.read(rs, prefix + "failing_since")
        .map(since -> new FailureStreak(since, attempts));
  }
}
