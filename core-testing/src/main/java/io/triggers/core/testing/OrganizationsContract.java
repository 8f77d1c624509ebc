package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.ApiKeyHash;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.Organizations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Organizations} must do; extend it with a factory for the implementation. */
public abstract class OrganizationsContract {

  protected final MutableClock clock = new MutableClock();
  protected final Fixtures fixtures = new Fixtures(clock);
  private Organizations organizations;

  /** The implementation under test, fresh for each test; called after {@link #clearState()}. */
  protected abstract Organizations newOrganizations() throws Exception;

  /** Removes what earlier tests left in a store that outlives one test; nothing by default. */
  protected void clearState() throws Exception {}

  @BeforeEach
  final void createOrganizations() throws Exception {
    clearState();
    organizations = newOrganizations();
  }

  @Test
  void authenticatesTheOrganizationByItsKeysHash() {
    // given
    Organization organization = fixtures.organization();
    ApiKeyHash key = newKeyHash();
    organizations.create(organization, key);

    // when / then
    assertThat(organizations.authenticate(copyOf(key))).contains(organization);
  }

  @Test
  void refusesAnUnknownKey() {
    // given
    organizations.create(fixtures.organization(), newKeyHash());

    // when / then
    assertThat(organizations.authenticate(newKeyHash())).isEmpty();
  }

  @Test
  void keepsEachOrganizationsKeyToItself() {
    // given
    Organization first = fixtures.organization();
    Organization second = fixtures.organization();
    ApiKeyHash firstKey = newKeyHash();
    ApiKeyHash secondKey = newKeyHash();
    organizations.create(first, firstKey);
    organizations.create(second, secondKey);

    // when / then
    assertThat(organizations.authenticate(firstKey)).contains(first);
    assertThat(organizations.authenticate(secondKey)).contains(second);
  }

  @Test
  void refusesTheOldKeyAsSoonAsItIsReplaced() {
    // given
    Organization organization = fixtures.organization();
    ApiKeyHash oldKey = newKeyHash();
    ApiKeyHash newKey = newKeyHash();
    organizations.create(organization, oldKey);

    // when
    boolean replaced = organizations.replaceKey(organization.id(), newKey);

    // then
    assertThat(replaced).isTrue();
    assertThat(organizations.authenticate(oldKey)).isEmpty();
    assertThat(organizations.authenticate(newKey)).contains(organization);
  }

  @Test
  void refusesEveryEarlierKeyAfterSeveralRotations() {
    // given
    Organization organization = fixtures.organization();
    ApiKeyHash first = newKeyHash();
    ApiKeyHash second = newKeyHash();
    ApiKeyHash third = newKeyHash();
    organizations.create(organization, first);

    // when
    organizations.replaceKey(organization.id(), second);
    organizations.replaceKey(organization.id(), third);

    // then
    assertThat(organizations.authenticate(first)).isEmpty();
    assertThat(organizations.authenticate(second)).isEmpty();
    assertThat(organizations.authenticate(third)).contains(organization);
  }

  @Test
  void replacingTheKeyOfAnUnknownOrganizationChangesNothing() {
    // given
    ApiKeyHash key = newKeyHash();

    // when
    boolean replaced = organizations.replaceKey(fixtures.organization().id(), key);

    // then
    assertThat(replaced).isFalse();
    assertThat(organizations.authenticate(key)).isEmpty();
  }

  @Test
  void answersWithoutWaitingNothingButWhatAuthenticateAnswers() {
    // given
    Organization organization = fixtures.organization();
    ApiKeyHash oldKey = newKeyHash();
    ApiKeyHash newKey = newKeyHash();
    organizations.create(organization, oldKey);
    organizations.authenticate(oldKey);

    // when
    organizations.replaceKey(organization.id(), newKey);
    organizations.authenticate(newKey);

    // then: it may not know, but what it knows is right
    assertThat(organizations.authenticateWithoutWaiting(oldKey)).isEmpty();
    assertThat(organizations.authenticateWithoutWaiting(newKeyHash())).isEmpty();
    assertThat(organizations.authenticateWithoutWaiting(copyOf(newKey)))
        .satisfiesAnyOf(
            known -> assertThat(known).isEmpty(),
            known -> assertThat(known).contains(organization));
  }

  private OrganizationId createdOrganization() {
    Organization organization = fixtures.organization();
    organizations.create(organization, newKeyHash());
    return organization.id();
  }

  private ApiKeyHash newKeyHash() {
    return fixtures.ids().newApiKey().hash();
  }

  /** An equal hash that is not the same object, as a request would bring it. */
  private static ApiKeyHash copyOf(ApiKeyHash hash) {
    return new ApiKeyHash(new String(hash.hex().toCharArray()));
  }
}
