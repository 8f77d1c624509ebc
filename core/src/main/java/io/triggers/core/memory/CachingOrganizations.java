package io.triggers.core.memory;

import io.triggers.core.model.ApiKeyHash;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.OrganizationChanges;
import io.triggers.core.port.out.Organizations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps API-key lookups in process, so that a request does not cost a database round trip before
 * its real work.
 *
 * <p>Changes made through this instance take effect here at once, and are announced through {@link
 * OrganizationChanges} before the changing call returns; what other instances (other nodes)
 * announce is dropped from the cache as soon as it is heard. News that is lost is made up for by
 * dropping everything when the medium says it may have missed some, and at worst by entries
 * expiring after {@code ttl}. Unknown keys are never cached, so a new key works at once everywhere.
 * Thread-safe.
 */
public final class CachingOrganizations implements Organizations {

  private final Organizations delegate;
  private final OrganizationChanges changes;
  private final Clock clock;
  private final Duration ttl;
  private final int maxEntries;
  private final Map<ApiKeyHash, Cached<Organization>> byKey = new ConcurrentHashMap<>();

  /**
   * Counts invalidations, so that a lookup that raced with one does not put back what was just
   * invalidated.
   */
  private final AtomicLong generation = new AtomicLong();

  /** Starts listening to {@code changes} at once, so the cache is never deaf to other nodes. */
  public CachingOrganizations(
      Organizations delegate,
      OrganizationChanges changes,
      Clock clock,
      Duration ttl,
      int maxEntries) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.changes = Objects.requireNonNull(changes, "changes");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.maxEntries = maxEntries;
    changes.listen(new Invalidation());
  }

  @Override
  public void create(Organization organization, ApiKeyHash keyHash) {
    delegate.create(organization, keyHash);
  }

  @Override
  public Optional<Organization> authenticate(ApiKeyHash keyHash) {
    Optional<Organization> cached = authenticateWithoutWaiting(keyHash);
    if (cached.isPresent()) {
      return cached;
    }
    long seen = generation.get();
    Optional<Organization> found = delegate.authenticate(keyHash);
    found.ifPresent(organization -> remember(byKey, keyHash, organization, seen));
    return found;
  }

  /** The organization of a key cached and still fresh here; the delegate is not asked. */
  @Override
  public Optional<Organization> authenticateWithoutWaiting(ApiKeyHash keyHash) {
    Cached<Organization> cached = byKey.get(keyHash);
    return cached != null && cached.isFresh(clock.instant())
        ? Optional.of(cached.value())
        : Optional.empty();
  }

  @Override
  public boolean replaceKey(OrganizationId id, ApiKeyHash newKeyHash) {
    try {
      return delegate.replaceKey(id, newKeyHash);
    } finally {
      changedHere(id);
    }
  }

  /**
   * Forgets the organization here, then tells the other nodes; also when the change failed, since
   * it may have been made all the same.
   */
  private void changedHere(OrganizationId organization) {
    forget(organization);
    changes.announce(organization);
  }

  /** Forgets everything cached about {@code organization}; the next lookup asks the delegate. */
  private void forget(OrganizationId organization) {
    generation.incrementAndGet();
    byKey.values().removeIf(cached -> cached.value().id().equals(organization));
  }

  private void forgetEverything() {
    generation.incrementAndGet();
    byKey.clear();
  }

  private <K, V> void remember(Map<K, Cached<V>> cache, K key, V value, long seenGeneration) {
    if (cache.size() >= maxEntries) {
      cache.clear();
    }
    cache.put(key, new Cached<>(value, clock.instant().plus(ttl)));
    if (generation.get() != seenGeneration) {
      // An invalidation ran meanwhile; what was read may already be out of date.
      cache.remove(key);
    }
  }

  /** What other nodes announce, heard on the medium's thread. */
  private final class Invalidation implements OrganizationChanges.Listener {

    @Override
    public void changed(OrganizationId organization) {
      forget(organization);
    }

    @Override
    public void mayHaveMissedChanges() {
      forgetEverything();
    }
  }

  private record Cached<V>(V value, Instant expiresAt) {
    boolean isFresh(Instant now) {
      return now.isBefore(expiresAt);
    }
  }
}
