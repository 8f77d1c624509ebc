package io.triggers.core.memory;

import io.triggers.core.model.ApiKeyHash;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Webhook;
import io.triggers.core.port.out.Organizations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps API-key lookups and webhook settings in process, so that a request does not cost a database
 * round trip before its real work.
 *
 * <p>Changes made through this instance take effect at once; changes made elsewhere (another node)
 * must be announced with {@link #invalidate} or are seen after {@code ttl} at the latest. Unknown
 * keys are never cached, so a new key works at once everywhere. Thread-safe.
 */
public final class CachingOrganizations implements Organizations {

  private final Organizations delegate;
  private final Clock clock;
  private final Duration ttl;
  private final int maxEntries;
  private final Map<ApiKeyHash, Cached<Organization>> byKey = new ConcurrentHashMap<>();
  private final Map<OrganizationId, Cached<Optional<Webhook>>> webhooks = new ConcurrentHashMap<>();

  /**
   * Counts invalidations, so that a lookup that raced with one does not put back what was just
   * invalidated.
   */
  private final AtomicLong generation = new AtomicLong();

  public CachingOrganizations(Organizations delegate, Clock clock, Duration ttl, int maxEntries) {
    this.delegate = delegate;
    this.clock = clock;
    this.ttl = ttl;
    this.maxEntries = maxEntries;
  }

  /** Forgets everything cached about {@code organization}; the next lookup asks the delegate. */
  public void invalidate(OrganizationId organization) {
    generation.incrementAndGet();
    byKey.values().removeIf(cached -> cached.value().id().equals(organization));
    webhooks.remove(organization);
  }

  @Override
  public void create(Organization organization, ApiKeyHash keyHash) {
    delegate.create(organization, keyHash);
  }

  @Override
  public Optional<Organization> authenticate(ApiKeyHash keyHash) {
    Cached<Organization> cached = byKey.get(keyHash);
    if (cached != null && cached.isFresh(clock.instant())) {
      return Optional.of(cached.value());
    }
    long seen = generation.get();
    Optional<Organization> found = delegate.authenticate(keyHash);
    found.ifPresent(organization -> remember(byKey, keyHash, organization, seen));
    return found;
  }

  @Override
  public Optional<Organization> find(OrganizationId id) {
    return delegate.find(id);
  }

  @Override
  public boolean replaceKey(OrganizationId id, ApiKeyHash newKeyHash) {
    try {
      return delegate.replaceKey(id, newKeyHash);
    } finally {
      invalidate(id);
    }
  }

  @Override
  public void saveWebhook(OrganizationId id, Webhook webhook) {
    try {
      delegate.saveWebhook(id, webhook);
    } finally {
      invalidate(id);
    }
  }

  @Override
  public Optional<Webhook> webhook(OrganizationId id) {
    Cached<Optional<Webhook>> cached = webhooks.get(id);
    if (cached != null && cached.isFresh(clock.instant())) {
      return cached.value();
    }
    long seen = generation.get();
    Optional<Webhook> found = delegate.webhook(id);
    remember(webhooks, id, found, seen);
    return found;
  }

  @Override
  public void deleteWebhook(OrganizationId id) {
    try {
      delegate.deleteWebhook(id);
    } finally {
      invalidate(id);
    }
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

  private record Cached<V>(V value, Instant expiresAt) {
    boolean isFresh(Instant now) {
      return now.isBefore(expiresAt);
    }
  }
}
