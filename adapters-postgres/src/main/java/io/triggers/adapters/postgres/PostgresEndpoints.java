package io.triggers.adapters.postgres;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.EventTypeFilter;
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

  private static final String COLUMNS =
      "id, url, signing_secret, previous_secret, previous_secret_expires_at, event_types,"
          + " description, status, created_at, updated_at";

  private static final String LOCK_ORGANIZATION =
      "SELECT id FROM organizations WHERE id = :org FOR NO KEY UPDATE";

  private static final String CREATE =
      """
      INSERT INTO endpoints (org_id, id, url, signing_secret, previous_secret,
        previous_secret_expires_at, event_types, description, status, created_at, updated_at)
      SELECT :org, :id, :url, :secret, :previousSecret, :previousExpiresAt, :eventTypes,
        :description, :status, :createdAt, :updatedAt
      WHERE (SELECT count(*) FROM endpoints WHERE org_id = :org) < :max
      """;

  private static final String LIST =
      "SELECT " + COLUMNS + " FROM endpoints WHERE org_id = :org ORDER BY created_at, id";

  private static final String FIND =
      "SELECT " + COLUMNS + " FROM endpoints WHERE org_id = :org AND id = :id";

  private static final String REPLACE =
      """
      UPDATE endpoints SET url = :url, signing_secret = :secret, previous_secret = :previousSecret,
        previous_secret_expires_at = :previousExpiresAt, event_types = :eventTypes,
        description = :description, status = :status, updated_at = :updatedAt
      WHERE org_id = :org AND id = :id
      """;

  private static final String DELETE = "DELETE FROM endpoints WHERE org_id = :org AND id = :id";

  /**
   * The default endpoint takes the new address and secret, ending a rotation's grace period, and is
   * enabled; it keeps its id, filters (none) and creation time.
   */
  private static final String SAVE_DEFAULT =
      """
      INSERT INTO endpoints (org_id, id, url, signing_secret, is_default, created_at, updated_at)
      VALUES (:org, :id, :url, :secret, true, :createdAt, :updatedAt)
      ON CONFLICT (org_id) WHERE is_default DO UPDATE
        SET url = excluded.url,
            signing_secret = excluded.signing_secret,
            previous_secret = NULL,
            previous_secret_expires_at = NULL,
            status = 'enabled',
            updated_at = excluded.updated_at
      RETURNING\s"""
          + COLUMNS;

  private static final String FIND_DEFAULT =
      "SELECT " + COLUMNS + " FROM endpoints WHERE org_id = :org AND is_default";

  private static final String DELETE_DEFAULT =
      "DELETE FROM endpoints WHERE org_id = :org AND is_default";

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
                  if (h.createQuery(LOCK_ORGANIZATION)
                      .bind("org", organization.value())
                      .mapTo(UUID.class)
                      .findOne()
                      .isEmpty()) {
                    throw new TriggersException(
                        "no organization " + organization + " to create an endpoint for");
                  }
                  int created =
                      bindEndpoint(h.createUpdate(CREATE), organization, endpoint)
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
                .createQuery(LIST)
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
        handle -> bindEndpoint(handle.createUpdate(REPLACE), organization, endpoint).execute() > 0);
  }

  @Override
  public boolean delete(OrganizationId organization, EndpointId id) {
    return SqlFailures.withHandle(
        jdbi,
        "delete an endpoint",
        handle ->
            handle
                    .createUpdate(DELETE)
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
                  .createQuery(SAVE_DEFAULT)
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
                .createQuery(FIND_DEFAULT)
                .bind("org", organization.value())
                .map((rs, ctx) -> endpoint(rs))
                .findOne());
  }

  @Override
  public boolean deleteDefault(OrganizationId organization) {
    return SqlFailures.withHandle(
        jdbi,
        "delete a webhook",
        handle ->
            handle.createUpdate(DELETE_DEFAULT).bind("org", organization.value()).execute() > 0);
  }

  private static Optional<Endpoint> find(
      Handle handle, OrganizationId organization, EndpointId id) {
    return handle
        .createQuery(FIND)
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
    return Arrays.stream(COLUMNS.split(", *"))
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
        Timestamps.read(rs, prefix + "updated_at").orElseThrow());
  }
}
