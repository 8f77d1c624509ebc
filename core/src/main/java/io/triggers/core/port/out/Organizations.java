package io.triggers.core.port.out;

import io.triggers.core.model.ApiKeyHash;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import java.util.Optional;

/**
 * Organizations and their API keys; the authentication port.
 *
 * <p>Thread-safe. Keys are known only by their SHA-256 hash. A change (a new key) is seen by every
 * later call on any node. Failures of the backing store surface as {@link
 * io.triggers.core.model.StorageUnavailableException}.
 */
public interface Organizations {

  /** Stores a new organization whose only valid key has {@code keyHash}. */
  void create(Organization organization, ApiKeyHash keyHash);

  /** The organization whose current key has this hash; the hash is compared in constant time. */
  Optional<Organization> authenticate(ApiKeyHash keyHash);

  /**
   * What {@link #authenticate} would answer, if this instance can tell without waiting for a store
   * (a key it holds in memory); empty when only {@code authenticate} can tell, so empty does not
   * mean the key is unknown. Never blocks and never throws for a store's failure. By default it
   * knows nothing without asking.
   */
  default Optional<Organization> authenticateWithoutWaiting(ApiKeyHash keyHash) {
    return Optional.empty();
  }

  /**
   * Makes {@code newKeyHash} the organization's only valid key; the old key is refused from the
   * moment this returns. Returns false if there is no such organization.
   */
  boolean replaceKey(OrganizationId id, ApiKeyHash newKeyHash);
}
