package io.triggers.adapters.postgres;

/** The statements of {@link PostgresEndpoints}. */
final class EndpointSql {

  static final String COLUMNS =
      "id, url, signing_secret, previous_secret, previous_secret_expires_at, event_types,"
          + " description, status, created_at, updated_at, failing_since, failed_attempts";

  static final String LOCK_ORGANIZATION =
      "SELECT id FROM organizations WHERE id = :org FOR NO KEY UPDATE";

  static final String CREATE =
      """
      INSERT INTO endpoints (org_id, id, url, signing_secret, previous_secret,
        previous_secret_expires_at, event_types, description, status, created_at, updated_at)
      SELECT :org, :id, :url, :secret, :previousSecret, :previousExpiresAt, :eventTypes,
        :description, :status, :createdAt, :updatedAt
      WHERE (SELECT count(*) FROM endpoints WHERE org_id = :org) < :max
      """;

  static final String LIST =
      "SELECT " + COLUMNS + " FROM endpoints WHERE org_id = :org ORDER BY created_at, id";

  static final String FIND =
      "SELECT " + COLUMNS + " FROM endpoints WHERE org_id = :org AND id = :id";

  static final String REPLACE =
      """
      UPDATE endpoints SET url = :url, signing_secret = :secret, previous_secret = :previousSecret,
        previous_secret_expires_at = :previousExpiresAt, event_types = :eventTypes,
        description = :description, status = :status, updated_at = :updatedAt
      WHERE org_id = :org AND id = :id
      """;

  static final String DELETE = "DELETE FROM endpoints WHERE org_id = :org AND id = :id";

  /**
   * The default endpoint takes the new address and secret, ending a rotation's grace period, and is
   * enabled; it keeps its id, filters (none) and creation time.
   */
  static final String SAVE_DEFAULT =
      """
      INSERT INTO endpoints (org_id, id, url, signing_secret, is_default, created_at, updated_at)
      VALUES (:org, :id, :url, :secret, true, :createdAt, :updatedAt)
      ON CONFLICT (org_id) WHERE is_default DO UPDATE
        SET url = excluded.url,
            signing_secret = excluded.signing_secret,
            previous_secret = NULL,
            previous_secret_expires_at = NULL,
            status = 'enabled',
            failing_since = NULL,
            failed_attempts = 0,
            updated_at = excluded.updated_at
      RETURNING\s"""
          + COLUMNS;

  static final String FIND_DEFAULT =
      "SELECT " + COLUMNS + " FROM endpoints WHERE org_id = :org AND is_default";

  static final String DELETE_DEFAULT =
      "DELETE FROM endpoints WHERE org_id = :org AND is_default RETURNING id";

  /** The row's lock makes concurrent failures wait for each other, so none is lost. */
  static final String RECORD_FAILURE =
      """
      UPDATE endpoints SET failing_since = coalesce(failing_since, :at),
        failed_attempts = failed_attempts + :count
      WHERE org_id = :org AND id = :id
      RETURNING failing_since, failed_attempts
      """;

  static final String CLEAR_FAILURES =
      """
      UPDATE endpoints SET failing_since = NULL, failed_attempts = 0
      WHERE org_id = :org AND id = :id AND failing_since IS NOT NULL
      """;

  /**
   * A concurrent disable waits for the row's lock, then finds it no longer enabled: only one
   * changes it.
   */
  static final String DISABLE =
      """
      UPDATE endpoints SET status = 'disabled', updated_at = :at
      WHERE org_id = :org AND id = :id AND status = 'enabled' AND url = :url
      """;

  private EndpointSql() {}
}
