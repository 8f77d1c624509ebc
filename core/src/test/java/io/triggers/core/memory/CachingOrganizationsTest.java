package io.triggers.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.ApiKeyHash;
import io.triggers.core.model.Organization;
import io.triggers.core.model.SigningSecret;
import io.triggers.core.model.Webhook;
import io.triggers.core.port.out.Organizations;
import io.triggers.core.testing.OrganizationsContract;
import java.net.URI;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class CachingOrganizationsTest extends OrganizationsContract {

  private static final Duration TTL = Duration.ofMinutes(1);

  private final InMemoryOrganizations store = new InMemoryOrganizations();
  private final CachingOrganizations cache = new CachingOrganizations(store, clock, TTL, 1_000);

  @Override
  protected Organizations newOrganizations() {
    return new CachingOrganizations(new InMemoryOrganizations(), clock, TTL, 1_000);
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
  void forgetsAnOrganizationWhenToldItChangedElsewhere() {
    // given
    Organization organization = fixtures.organization();
    ApiKeyHash key = randomKeyHash();
    store.create(organization, key);
    cache.authenticate(key);
    store.saveWebhook(organization.id(), webhook());
    assertThat(cache.webhook(organization.id())).isPresent();
    store.replaceKey(organization.id(), randomKeyHash());
    store.deleteWebhook(organization.id());

    // when
    cache.invalidate(organization.id());

    // then
    assertThat(cache.authenticate(key)).isEmpty();
    assertThat(cache.webhook(organization.id())).isEmpty();
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

  private Webhook webhook() {
    return new Webhook(
        URI.create("https://hooks.example.com/in"),
        new SigningSecret("whsec_c2VjcmV0"),
        clock.instant());
  }

  private static ApiKeyHash randomKeyHash() {
    byte[] bytes = new byte[32];
    ThreadLocalRandom.current().nextBytes(bytes);
    return new ApiKeyHash(HexFormat.of().formatHex(bytes));
  }
}
