package io.triggers.adapters.postgres;

import io.triggers.core.model.ApiKeyHash;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.SigningSecret;
import io.triggers.core.model.Tier;
import io.triggers.core.model.TriggersException;
import io.triggers.core.model.Webhook;
import io.triggers.core.port.out.Organizations;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Organizations, key hashes and webhooks on PostgreSQL; read fresh on every call, never cached. An
 * organization's webhook is its default endpoint in the endpoints table.
 */
final class PostgresOrganizations implements Organizations {

  private static final String ORGANIZATION_COLUMNS = "id, name, tier, created_at";

  private static final String CREATE =
      """
      INSERT INTO organizations (id, name, tier, created_at, api_key_hash)
      VALUES (:id, :name, :tier, :createdAt, :keyHash)
      """;

  private static final String AUTHENTICATE =
      "SELECT "
          + ORGANIZATION_COLUMNS
          + ", api_key_hash FROM organizations"
          + " WHERE api_key_hash = :keyHash";

  private static final String REPLACE_KEY =
      "UPDATE organizations SET api_key_hash = :keyHash WHERE id = :id";

  /**
   * The webhook is the organization's default endpoint: saving it replaces the default endpoint's
   * address and secret (ending a rotation's grace period) and enables it, keeping its id.
   */
  private static final String SAVE_WEBHOOK =
      """
      INSERT INTO endpoints (org_id, id, url, signing_secret, is_default, created_at, updated_at)
      VALUES (:org, gen_random_uuid(), :url, :secret, true, :updatedAt, :updatedAt)
      ON CONFLICT (org_id) WHERE is_default DO UPDATE
        SET url = excluded.url,
            signing_secret = excluded.signing_secret,
            previous_secret = NULL,
            previous_secret_expires_at = NULL,
            status = 'enabled',
            updated_at = excluded.updated_at
      """;

  private static final String WEBHOOK =
      "SELECT url, signing_secret, updated_at FROM endpoints WHERE org_id = :org AND is_default";

  private static final String DELETE_WEBHOOK =
      "DELETE FROM endpoints WHERE org_id = :org AND is_default";

  private final Jdbi jdbi;

  PostgresOrganizations(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void create(Organization organization, ApiKeyHash keyHash) {
    try {
      jdbi.useHandle(
          handle ->
              handle
                  .createUpdate(CREATE)
                  .bind("id", organization.id().value())
                  .bind("name", organization.name().value())
                  .bind("tier", organization.tier().wireName())
                  .bind("createdAt", Timestamps.of(organization.createdAt()))
                  .bind("keyHash", keyHash.hex())
                  .execute());
    } catch (RuntimeException e) {
      if (SqlFailures.hasState(e, SqlFailures.UNIQUE_VIOLATION)) {
        throw new TriggersException(
            "organization " + organization.id() + " or its key already exists", e);
      }
      throw SqlFailures.translate("create an organization", e);
    }
  }

  @Override
  public Optional<Organization> authenticate(ApiKeyHash keyHash) {
    return call(
        "authenticate",
        handle ->
            handle
                .createQuery(AUTHENTICATE)
                .bind("keyHash", keyHash.hex())
                .map(
                    (rs, ctx) ->
                        new ApiKeyHash(rs.getString("api_key_hash")).matches(keyHash)
                            ? Optional.of(organization(rs))
                            : Optional.<Organization>empty())
                .findFirst()
                .flatMap(Function.identity()));
  }

  @Override
  public boolean replaceKey(OrganizationId id, ApiKeyHash newKeyHash) {
    return call(
        "replace an API key",
        handle ->
            handle
                    .createUpdate(REPLACE_KEY)
                    .bind("id", id.value())
                    .bind("keyHash", newKeyHash.hex())
                    .execute()
                > 0);
  }

  @Override
  public void saveWebhook(OrganizationId id, Webhook webhook) {
    try {
      jdbi.useHandle(
          handle ->
              handle
                  .createUpdate(SAVE_WEBHOOK)
                  .bind("org", id.value())
                  .bind("url", webhook.url().toString())
                  .bind("secret", webhook.signingSecret().value())
                  .bind("updatedAt", Timestamps.of(webhook.updatedAt()))
                  .execute());
    } catch (RuntimeException e) {
      if (SqlFailures.hasState(e, SqlFailures.FOREIGN_KEY_VIOLATION)) {
        throw new TriggersException("no organization " + id + " to save a webhook for", e);
      }
      throw SqlFailures.translate("save a webhook", e);
    }
  }

  @Override
  public Optional<Webhook> webhook(OrganizationId id) {
    return call(
        "read a webhook",
        handle ->
            handle
                .createQuery(WEBHOOK)
                .bind("org", id.value())
                .map(
                    (rs, ctx) ->
                        new Webhook(
                            URI.create(rs.getString("url")),
                            new SigningSecret(rs.getString("signing_secret")),
                            Timestamps.read(rs, "updated_at").orElseThrow()))
                .findOne());
  }

  @Override
  public void deleteWebhook(OrganizationId id) {
    call(
        "delete a webhook",
        handle -> handle.createUpdate(DELETE_WEBHOOK).bind("org", id.value()).execute());
  }

  private static Organization organization(ResultSet rs) throws SQLException {
    return new Organization(
        new OrganizationId(rs.getObject("id", UUID.class)),
        new OrganizationName(rs.getString("name")),
        Tier.parse(rs.getString("tier")),
        Timestamps.read(rs, "created_at").orElseThrow());
  }

  private <T> T call(String action, Function<Handle, T> work) {
    try {
      return jdbi.withHandle(work::apply);
    } catch (RuntimeException e) {
      throw SqlFailures.translate(action, e);
    }
  }
}
