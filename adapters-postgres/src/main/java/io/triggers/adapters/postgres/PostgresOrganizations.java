package io.triggers.adapters.postgres;

import io.triggers.core.model.ApiKeyHash;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.Tier;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.out.Organizations;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Organizations and their key hashes on PostgreSQL; read fresh on every call, never cached. */
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
