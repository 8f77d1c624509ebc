package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.EventTypeFilter;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.Endpoints.CreateResult;
import io.triggers.core.port.out.Organizations;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Endpoints} must do; extend it with a factory for the implementation. */
public abstract class EndpointsContract {

  protected final MutableClock clock = new MutableClock();
  protected final Fixtures fixtures = new Fixtures(clock);
  private Endpoints endpoints;
  private Organizations organizations;

  /** The implementation under test, fresh for each test; called after {@link #clearState()}. */
  protected abstract Endpoints newEndpoints() throws Exception;

  /** The organizations the endpoints belong to, kept by the same store. */
  protected abstract Organizations organizations() throws Exception;

  /** Removes what earlier tests left in a store that outlives one test; nothing by default. */
  protected void clearState() throws Exception {}

  @BeforeEach
  final void createEndpoints() throws Exception {
    clearState();
    endpoints = newEndpoints();
    organizations = organizations();
  }

  @Test
  void findsAnEndpointAsItWasCreated() {
    // given
    OrganizationId organization = organization();
    Endpoint endpoint =
        endpoint(List.of(new EventTypeFilter("order.*"), new EventTypeFilter("user.deleted")));

    // when
    CreateResult result = endpoints.create(organization, endpoint);

    // then
    assertThat(result).isEqualTo(new CreateResult.Created(endpoint));
    Endpoint found = endpoints.find(organization, endpoint.id()).orElseThrow();
    assertThat(found).usingRecursiveComparison().isEqualTo(endpoint);
    assertThat(found.signingSecret()).isEqualTo(endpoint.signingSecret());
  }

  @Test
  void listsTheOrganizationsEndpointsOldestFirst() {
    // given
    OrganizationId organization = organization();
    Endpoint first = endpoint(List.of());
    clock.advance(Duration.ofSeconds(1));
    Endpoint second = endpoint(List.of());
    endpoints.create(organization, first);
    endpoints.create(organization, second);

    // when / then
    assertThat(endpoints.list(organization))
        .extracting(Endpoint::id)
        .containsExactly(first.id(), second.id());
  }

  @Test
  void keepsEachOrganizationsEndpointsToItself() {
    // given
    OrganizationId owner = organization();
    OrganizationId other = organization();
    Endpoint endpoint = endpoint(List.of());
    endpoints.create(owner, endpoint);

    // when / then
    assertThat(endpoints.find(other, endpoint.id())).isEmpty();
    assertThat(endpoints.list(other)).isEmpty();
    assertThat(endpoints.replace(other, endpoint.withStatus(EndpointStatus.PAUSED, now())))
        .isFalse();
    assertThat(endpoints.delete(other, endpoint.id())).isFalse();
    assertThat(endpoints.find(owner, endpoint.id())).contains(endpoint);
  }

  @Test
  void refusesTheEndpointPastTheLimit() {
    // given
    OrganizationId organization = organization();
    for (int i = 0; i < Endpoints.MAX_PER_ORGANIZATION; i++) {
      assertThat(endpoints.create(organization, endpoint(List.of())))
          .isInstanceOf(CreateResult.Created.class);
    }

    // when
    Endpoint oneTooMany = endpoint(List.of());
    CreateResult result = endpoints.create(organization, oneTooMany);

    // then
    assertThat(result).isEqualTo(new CreateResult.LimitReached(Endpoints.MAX_PER_ORGANIZATION));
    assertThat(endpoints.find(organization, oneTooMany.id())).isEmpty();
    assertThat(endpoints.list(organization)).hasSize(Endpoints.MAX_PER_ORGANIZATION);
  }

  @Test
  void neverPassesTheLimitUnderConcurrentCreations() throws Exception {
    // given
    OrganizationId organization = organization();
    for (int i = 0; i < Endpoints.MAX_PER_ORGANIZATION - 3; i++) {
      endpoints.create(organization, endpoint(List.of()));
    }

    // when
    List<CreateResult> results =
        Concurrently.run(8, i -> endpoints.create(organization, endpoint(List.of())));

    // then
    assertThat(results).filteredOn(CreateResult.Created.class::isInstance).hasSize(3);
    assertThat(endpoints.list(organization)).hasSize(Endpoints.MAX_PER_ORGANIZATION);
  }

  @Test
  void replacesAnEndpointsSettingsStatusAndSecret() {
    // given
    OrganizationId organization = organization();
    Endpoint endpoint = endpoint(List.of());
    endpoints.create(organization, endpoint);
    clock.advance(Duration.ofMinutes(1));
    Endpoint changed =
        endpoint
            .withSettings(
                URI.create("https://changed.example.com/hook"),
                List.of(new EventTypeFilter("invoice.*")),
                Optional.empty(),
                now())
            .withStatus(EndpointStatus.PAUSED, now())
            .withRotatedSecret(
                fixtures.ids().newSigningSecret(), now(), now().plus(Duration.ofDays(1)));

    // when
    boolean replaced = endpoints.replace(organization, changed);

    // then
    assertThat(replaced).isTrue();
    Endpoint found = endpoints.find(organization, endpoint.id()).orElseThrow();
    assertThat(found).usingRecursiveComparison().isEqualTo(changed);
    assertThat(found.signingSecretsAt(now()))
        .containsExactly(changed.signingSecret(), endpoint.signingSecret());
  }

  @Test
  void replacesNothingThatDoesNotExist() {
    // given
    OrganizationId organization = organization();

    // when / then
    assertThat(endpoints.replace(organization, endpoint(List.of()))).isFalse();
    assertThat(endpoints.list(organization)).isEmpty();
  }

  @Test
  void deletesAnEndpointAndFreesItsPlace() {
    // given
    OrganizationId organization = organization();
    Endpoint endpoint = endpoint(List.of());
    endpoints.create(organization, endpoint);

    // when
    boolean deleted = endpoints.delete(organization, endpoint.id());

    // then
    assertThat(deleted).isTrue();
    assertThat(endpoints.find(organization, endpoint.id())).isEmpty();
    assertThat(endpoints.delete(organization, endpoint.id())).isFalse();
    assertThat(endpoints.list(organization)).isEmpty();
  }

  private OrganizationId organization() {
    Organization organization = fixtures.organization();
    organizations.create(organization, fixtures.ids().newApiKey().hash());
    return organization.id();
  }

  private Endpoint endpoint(List<EventTypeFilter> eventTypes) {
    return Endpoint.created(
        fixtures.ids().newEndpointId(),
        URI.create("https://receiver.example.com/hooks"),
        fixtures.ids().newSigningSecret(),
        eventTypes,
        Optional.of("orders to the warehouse"),
        now());
  }

  private Instant now() {
    return clock.instant();
  }
}
