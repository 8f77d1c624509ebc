package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.EndpointStatus;
import io.triggers.core.model.EventTypeFilter;
import io.triggers.core.model.FailureStreak;
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

  @Test
  void countsEachFailedAttemptSinceTheFirst() {
    // given
    OrganizationId organization = organization();
    Endpoint endpoint = endpoint(List.of());
    endpoints.create(organization, endpoint);
    Instant first = now();

    // when
    endpoints.recordFailure(organization, endpoint.id(), first);
    clock.advance(Duration.ofMinutes(5));
    Optional<FailureStreak> failures = endpoints.recordFailure(organization, endpoint.id(), now());

    // then
    assertThat(failures).contains(new FailureStreak(first, 2));
    assertThat(endpoints.find(organization, endpoint.id()).orElseThrow().failures())
        .contains(new FailureStreak(first, 2));
  }

  @Test
  void addsSeveralFailedAttemptsAtOnce() {
    // given
    OrganizationId organization = organization();
    Endpoint endpoint = endpoint(List.of());
    endpoints.create(organization, endpoint);
    Instant first = now();

    // when
    Optional<FailureStreak> started =
        endpoints.recordFailures(organization, endpoint.id(), first, 3);
    clock.advance(Duration.ofMinutes(5));
    Optional<FailureStreak> added = endpoints.recordFailures(organization, endpoint.id(), now(), 4);

    // then
    assertThat(started).contains(new FailureStreak(first, 3));
    assertThat(added).contains(new FailureStreak(first, 7));
    assertThat(endpoints.find(organization, endpoint.id()).orElseThrow().failures())
        .contains(new FailureStreak(first, 7));
    assertThatThrownBy(() -> endpoints.recordFailures(organization, endpoint.id(), now(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void startsTheFailuresAfreshOnceCleared() {
    // given
    OrganizationId organization = organization();
    Endpoint endpoint = endpoint(List.of());
    endpoints.create(organization, endpoint);
    endpoints.recordFailure(organization, endpoint.id(), now());
    endpoints.recordFailure(organization, endpoint.id(), now());

    // when
    endpoints.clearFailures(organization, endpoint.id());
    Optional<Endpoint> cleared = endpoints.find(organization, endpoint.id());
    clock.advance(Duration.ofHours(1));
    Optional<FailureStreak> again = endpoints.recordFailure(organization, endpoint.id(), now());

    // then
    assertThat(cleared.orElseThrow().failures()).isEmpty();
    assertThat(again).contains(FailureStreak.startedAt(now()));
  }

  @Test
  void losesNoFailedAttemptRecordedConcurrently() throws Exception {
    // given
    OrganizationId organization = organization();
    Endpoint endpoint = endpoint(List.of());
    endpoints.create(organization, endpoint);
    Instant at = now();

    // when
    List<Optional<FailureStreak>> results =
        Concurrently.run(8, i -> endpoints.recordFailure(organization, endpoint.id(), at));

    // then
    assertThat(results)
        .extracting(result -> result.orElseThrow().attempts())
        .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(endpoints.find(organization, endpoint.id()).orElseThrow().failures())
        .contains(new FailureStreak(at, 8));
  }

  @Test
  void keepsTheStoredFailuresWhenAnEndpointIsReplaced() {
    // given
    OrganizationId organization = organization();
    Endpoint endpoint = endpoint(List.of());
    endpoints.create(organization, endpoint);
    Instant since = now();
    endpoints.recordFailure(organization, endpoint.id(), since);
    endpoints.recordFailure(organization, endpoint.id(), since);

    // when: a change made from a read older than the failures
    clock.advance(Duration.ofMinutes(1));
    endpoints.replace(
        organization,
        endpoint.withSettings(endpoint.url(), List.of(), Optional.of("changed"), now()));

    // then
    Endpoint found = endpoints.find(organization, endpoint.id()).orElseThrow();
    assertThat(found.description()).contains("changed");
    assertThat(found.failures()).contains(new FailureStreak(since, 2));
  }

  @Test
  void disablesAnEnabledEndpointOnceAmongConcurrentCalls() throws Exception {
    // given
    OrganizationId organization = organization();
    Endpoint endpoint = endpoint(List.of());
    endpoints.create(organization, endpoint);
    clock.advance(Duration.ofMinutes(1));

    // when
    List<Boolean> results =
        Concurrently.run(
            8, i -> endpoints.disable(organization, endpoint.id(), endpoint.url(), now()));

    // then
    assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
    Endpoint found = endpoints.find(organization, endpoint.id()).orElseThrow();
    assertThat(found.status()).isEqualTo(EndpointStatus.DISABLED);
    assertThat(found.updatedAt()).isEqualTo(now());
  }

  @Test
  void disablesNeitherAPausedEndpointNorOneWhoseAddressChanged() {
    // given
    OrganizationId organization = organization();
    Endpoint paused = endpoint(List.of());
    endpoints.create(organization, paused);
    endpoints.replace(organization, paused.withStatus(EndpointStatus.PAUSED, now()));
    Endpoint moved = endpoint(List.of());
    endpoints.create(organization, moved);
    URI oldUrl = URI.create("https://old.example.com/hooks");

    // when / then
    assertThat(endpoints.disable(organization, paused.id(), paused.url(), now())).isFalse();
    assertThat(endpoints.disable(organization, moved.id(), oldUrl, now())).isFalse();
    assertThat(endpoints.find(organization, paused.id()).orElseThrow().status())
        .isEqualTo(EndpointStatus.PAUSED);
    assertThat(endpoints.find(organization, moved.id()).orElseThrow().status())
        .isEqualTo(EndpointStatus.ENABLED);
  }

  @Test
  void tracksNoFailureAndDisablesNothingOfAnotherOrganization() {
    // given
    OrganizationId owner = organization();
    OrganizationId other = organization();
    Endpoint endpoint = endpoint(List.of());
    endpoints.create(owner, endpoint);
    endpoints.recordFailure(owner, endpoint.id(), now());

    // when
    Optional<FailureStreak> recorded = endpoints.recordFailure(other, endpoint.id(), now());
    endpoints.clearFailures(other, endpoint.id());
    boolean disabled = endpoints.disable(other, endpoint.id(), endpoint.url(), now());

    // then
    assertThat(recorded).isEmpty();
    assertThat(disabled).isFalse();
    Endpoint found = endpoints.find(owner, endpoint.id()).orElseThrow();
    assertThat(found.failures()).contains(FailureStreak.startedAt(now()));
    assertThat(found.status()).isEqualTo(EndpointStatus.ENABLED);
  }

  @Test
  void savingTheDefaultEndpointAgainEnablesItAndForgetsItsFailures() {
    // given
    OrganizationId organization = organization();
    Endpoint saved = endpoints.saveDefault(organization, endpoint(List.of()));
    endpoints.recordFailure(organization, saved.id(), now());
    endpoints.disable(organization, saved.id(), saved.url(), now());

    // when
    Endpoint again = endpoints.saveDefault(organization, endpoint(List.of()));

    // then
    assertThat(again.id()).isEqualTo(saved.id());
    Endpoint found = endpoints.findDefault(organization).orElseThrow();
    assertThat(found.status()).isEqualTo(EndpointStatus.ENABLED);
    assertThat(found.failures()).isEmpty();
  }

  @Test
  void deletingTheDefaultEndpointTellsWhichItWas() {
    // given
    OrganizationId organization = organization();
    Endpoint saved = endpoints.saveDefault(organization, endpoint(List.of()));

    // when
    Optional<EndpointId> deleted = endpoints.deleteDefault(organization);

    // then
    assertThat(deleted).contains(saved.id());
    assertThat(endpoints.find(organization, saved.id())).isEmpty();
    assertThat(endpoints.deleteDefault(organization)).isEmpty();
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
