package io.triggers.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.ApiKeyHash;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.OrganizationChanges;
import io.triggers.core.port.out.Organizations;
import io.triggers.core.testing.OrganizationsContract;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class CachingOrganizationsTest extends OrganizationsContract {

  private static final Duration TTL = Duration.ofMinutes(1);

  private final InMemoryOrganizations store = new InMemoryOrganizations();
  private final RecordingChanges changes = new RecordingChanges();
  private final CachingOrganizations cache =
      new CachingOrganizations(store, changes, clock, TTL, 1_000);

  @Override
  protected Organizations newOrganizations() {
    return new CachingOrganizations(
        new InMemoryOrganizations(), new LocalOrganizationChanges(), clock, TTL, 1_000);
  }

  @Test
  void answersARepeatedLookupWithoutTheStoreUntilTheEntryExpires() {
    // given
    Organization organization = fixtures.organization();
    ApiKeyHash key = randomKeyHash();
    store.create(organization, key);
    assertThat(cache.authenticate(key)).contains(organization);

    // when the key is replaced behind the cache's back
    store.replaceKey(organization.id(), randomKeyHash());

    // then the cached answer stands until it expires
    assertThat(cache.authenticate(key)).contains(organization);
    clock.advance(TTL);
    assertThat(cache.authenticate(key)).isEmpty();
  }

  @Test
  void refusesAKeyRotatedOnAnotherNodeAsSoonAsTheRotationReturns() {
    // given two nodes over one store and one medium, the key cached on both
    LocalOrganizationChanges medium = new LocalOrganizationChanges();
    CachingOrganizations nodeA = new CachingOrganizations(store, medium, clock, TTL, 1_000);
    CachingOrganizations nodeB = new CachingOrganizations(store, medium, clock, TTL, 1_000);
    Organization organization = fixtures.organization();
    ApiKeyHash oldKey = randomKeyHash();
    ApiKeyHash newKey = randomKeyHash();
    store.create(organization, oldKey);
    assertThat(nodeA.authenticate(oldKey)).contains(organization);
    assertThat(nodeB.authenticate(oldKey)).contains(organization);

    // when
    nodeA.replaceKey(organization.id(), newKey);

    // then
    assertThat(nodeB.authenticate(oldKey)).isEmpty();
    assertThat(nodeB.authenticate(newKey)).contains(organization);
    assertThat(nodeA.authenticate(oldKey)).isEmpty();
  }

  @Test
  void announcesEveryChangeItMakes() {
    // given
    Organization organization = fixtures.organization();
    store.create(organization, randomKeyHash());

    // when
    cache.replaceKey(organization.id(), randomKeyHash());
    cache.replaceKey(organization.id(), randomKeyHash());

    // then
    assertThat(changes.announced).containsExactly(organization.id(), organization.id());
  }

  @Test
  void forgetsAnOrganizationWhenToldItChangedElsewhere() {
    // given
    Organization organization = fixtures.organization();
    ApiKeyHash key = randomKeyHash();
    store.create(organization, key);
    cache.authenticate(key);
    store.replaceKey(organization.id(), randomKeyHash());

    // when
    changes.tellChanged(organization.id());

    // then
    assertThat(cache.authenticate(key)).isEmpty();
  }

  @Test
  void forgetsEverythingWhenChangesMayHaveBeenMissed() {
    // given
    Organization first = fixtures.organization();
    Organization second = fixtures.organization();
    ApiKeyHash firstKey = randomKeyHash();
    store.create(first, firstKey);
    store.create(second, randomKeyHash());
    cache.authenticate(firstKey);
    store.replaceKey(first.id(), randomKeyHash());

    // when
    changes.tellMissed();

    // then
    assertThat(cache.authenticate(firstKey)).isEmpty();
  }

  @Test
  void neverRemembersAnUnknownKey() {
    // given
    Organization organization = fixtures.organization();
    ApiKeyHash key = randomKeyHash();
    assertThat(cache.authenticate(key)).isEmpty();

    // when
    store.create(organization, key);

    // then
    assertThat(cache.authenticate(key)).contains(organization);
  }

  private static ApiKeyHash randomKeyHash() {
    byte[] bytes = new byte[32];
    ThreadLocalRandom.current().nextBytes(bytes);
    return new ApiKeyHash(HexFormat.of().formatHex(bytes));
  }

  /** Keeps what is announced, and lets the test speak for other nodes. */
  private static final class RecordingChanges implements OrganizationChanges {

    final List<OrganizationId> announced = new CopyOnWriteArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void announce(OrganizationId organization) {
      announced.add(organization);
    }

    @Override
    public void listen(Listener listener) {
      listeners.add(listener);
    }

    void tellChanged(OrganizationId organization) {
      listeners.forEach(listener -> listener.changed(organization));
    }

    void tellMissed() {
      listeners.forEach(Listener::mayHaveMissedChanges);
    }
  }
}
