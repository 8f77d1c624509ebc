package io.triggers.core.memory;

import io.triggers.core.model.ApiKeyHash;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.out.Organizations;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Organizations and their keys held in this process's memory. */
public final class InMemoryOrganizations implements Organizations {

  /** No organizations yet. */
  public InMemoryOrganizations() {}

  private final ConcurrentMap<OrganizationId, Account> accounts = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, OrganizationId> owners = new ConcurrentHashMap<>();

  @Override
  public void create(Organization organization, ApiKeyHash keyHash) {
    Account account = new Account(organization, keyHash);
    // The key index is written inside the account's compute, so per organization the account and
    // its index entry change together.
    Account existing =
        accounts.compute(
            organization.id(),
            (id, current) -> {
              if (current != null) {
                return current;
              }
              if (owners.putIfAbsent(keyHash.hex(), id) != null) {
                throw new TriggersException("that API key hash is already in use");
              }
              return account;
            });
    if (existing != account) {
      throw new TriggersException("organization " + organization.id() + " already exists");
    }
  }

  /** Answers as {@link #authenticate} does: everything is in memory here. */
  @Override
  public Optional<Organization> authenticateWithoutWaiting(ApiKeyHash keyHash) {
    return authenticate(keyHash);
  }

  @Override
  public Optional<Organization> authenticate(ApiKeyHash keyHash) {
    OrganizationId owner = owners.get(keyHash.hex());
    if (owner == null) {
      return Optional.empty();
    }
    Account account = accounts.get(owner);
    // The index may briefly lag a rotation; the account's own hash is the authority.
    if (account == null || !account.keyHash().matches(keyHash)) {
      return Optional.empty();
    }
    return Optional.of(account.organization());
  }

  @Override
  public boolean replaceKey(OrganizationId id, ApiKeyHash newKeyHash) {
    Account replaced =
        accounts.computeIfPresent(
            id,
            (key, current) -> {
              if (current.keyHash().matches(newKeyHash)) {
                return current;
              }
              OrganizationId holder = owners.putIfAbsent(newKeyHash.hex(), id);
              if (holder != null && !holder.equals(id)) {
                throw new TriggersException("that API key hash is already in use");
              }
              owners.remove(current.keyHash().hex(), id);
              return new Account(current.organization(), newKeyHash);
            });
    return replaced != null;
  }

  private record Account(Organization organization, ApiKeyHash keyHash) {}
}
