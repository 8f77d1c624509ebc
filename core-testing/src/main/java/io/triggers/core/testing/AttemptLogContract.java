package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryAttempt;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.Exchange;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.out.AttemptLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AttemptLog} must show of the attempts its {@link
 * io.triggers.core.port.out.DeliveryLedger} records: each attempt made, newest first, the latest
 * {@link AttemptLog#SHOWN_PER_ENDPOINT} per endpoint, nothing for a result that no longer counts,
 * and nothing once the event is gone; extend it with a factory for the storage and its log.
 */
public abstract class AttemptLogContract extends EventStorageContract {

  /** The attempt log over the storage {@link #newStorage()} returned last. */
  protected abstract AttemptLog attemptLog();

  @Test
  void logsEachAttemptWithItsOutcomeStatusErrorAndDurationNewestFirst() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = pushedAStepLater(organization);
    EndpointId endpoint = endpointOf(organization);

    // when
    Instant first =
        attempt(
            organization,
            event,
            endpoint,
            at ->
                new AttemptResult.Retrying(
                    at, "HTTP 503", at, Exchange.answered(503, Duration.ofMillis(120))));
    Instant second =
        attempt(
            organization,
            event,
            endpoint,
            at ->
                new AttemptResult.Retrying(
                    at,
                    "could not connect: connection refused",
                    at,
                    Exchange.unanswered(Duration.ofMillis(7))));
    Instant third =
        attempt(
            organization,
            event,
            endpoint,
            at ->
                new AttemptResult.Delivered(
                    at, at.plusMillis(30), Exchange.answered(200, Duration.ofMillis(30))));

    // then
    assertThat(attemptLog().attempts(organization, event.id()))
        .containsExactly(
            new DeliveryAttempt(
                endpoint,
                third,
                DeliveryStatus.DELIVERED,
                Optional.of(200),
                Optional.empty(),
                Duration.ofMillis(30)),
            new DeliveryAttempt(
                endpoint,
                second,
                DeliveryStatus.RETRYING,
                Optional.empty(),
                Optional.of("could not connect: connection refused"),
                Duration.ofMillis(7)),
            new DeliveryAttempt(
                endpoint,
                first,
                DeliveryStatus.RETRYING,
                Optional.of(503),
                Optional.of("HTTP 503"),
                Duration.ofMillis(120)));
  }

  @Test
  void logsAFailureAndAGoneAnswerButNoHoldWithoutAnAttemptNorAnAbandonedDelivery()
      throws Exception {
    // given
    OrganizationId organization = organization();
    Event failedOne = pushedAStepLater(organization);
    Event goneOne = pushedAStepLater(organization);
    Event heldOne = pushedAStepLater(organization);
    Event abandonedOne = pushedAStepLater(organization);
    EndpointId endpoint = endpointOf(organization);

    // when
    Instant failedAt =
        attempt(
            organization,
            failedOne,
            endpoint,
            at -> new AttemptResult.Failed(at, "webhook_url host does not resolve"));
    Instant goneAt =
        attempt(
            organization,
            goneOne,
            endpoint,
            at ->
                new AttemptResult.Held(
                    Optional.of(at),
                    "HTTP 410 Gone",
                    Exchange.answered(410, Duration.ofMillis(4))));
    attempt(
        organization,
        heldOne,
        endpoint,
        at -> new AttemptResult.Held(Optional.empty(), "the endpoint is not enabled"));
    attempt(organization, abandonedOne, endpoint, at -> new AttemptResult.Abandoned("deleted"));

    // then
    assertThat(attemptLog().attempts(organization, failedOne.id()))
        .containsExactly(
            new DeliveryAttempt(
                endpoint,
                failedAt,
                DeliveryStatus.FAILED,
                Optional.empty(),
                Optional.of("webhook_url host does not resolve"),
                Duration.ZERO));
    assertThat(attemptLog().attempts(organization, goneOne.id()))
        .containsExactly(
            new DeliveryAttempt(
                endpoint,
                goneAt,
                DeliveryStatus.HELD,
                Optional.of(410),
                Optional.of("HTTP 410 Gone"),
                Duration.ofMillis(4)));
    assertThat(attemptLog().attempts(organization, heldOne.id())).isEmpty();
    assertThat(attemptLog().attempts(organization, abandonedOne.id())).isEmpty();
  }

  @Test
  void logsNoAttemptWhoseClaimNoLongerHeld() throws Exception {
    // given
    OrganizationId organization = organization();
    Event event = fixtures.event(organization);
    Delivery claimed = appendAndClaim(organization, event);
    inbox.acknowledge(organization, event.id(), clock.instant());

    // when
    ledger.record(
        organization, event.id(), endpointOf(organization), claimed, delivered(clock.instant()));

    // then
    assertThat(attemptLog().attempts(organization, event.id())).isEmpty();
  }

  @Test
  void showsTheLatestAttemptsToEachEndpointUpToTheLimit() throws Exception {
    // given
    OrganizationId organization = organization();
    EndpointId busy = endpointOf(organization);
    EndpointId quiet = secondEndpoint(organization);
    Event event = pushedAStepLater(organization);
    int made = AttemptLog.SHOWN_PER_ENDPOINT + 3;
    Instant quietAttempt =
        attempt(organization, event, quiet, at -> new AttemptResult.Retrying(at, "HTTP 500", at));
    Instant firstShown = null;
    for (int i = 0; i < made; i++) {
      Instant at =
          attempt(
              organization,
              event,
              busy,
              when -> new AttemptResult.Retrying(when, "HTTP 500", when));
      if (i == made - AttemptLog.SHOWN_PER_ENDPOINT) {
        firstShown = at;
      }
    }

    // when
    List<DeliveryAttempt> attempts = attemptLog().attempts(organization, event.id());

    // then
    List<DeliveryAttempt> toBusy =
        attempts.stream().filter(attempt -> attempt.endpointId().equals(busy)).toList();
    assertThat(toBusy).hasSize(AttemptLog.SHOWN_PER_ENDPOINT);
    assertThat(toBusy.getLast().attemptedAt()).isEqualTo(firstShown);
    assertThat(attempts.getLast())
        .isEqualTo(
            new DeliveryAttempt(
                quiet,
                quietAttempt,
                DeliveryStatus.RETRYING,
                Optional.empty(),
                Optional.of("HTTP 500"),
                Duration.ZERO));
    assertThat(attempts)
        .extracting(DeliveryAttempt::attemptedAt)
        .isSortedAccordingTo((a, b) -> b.compareTo(a));
  }

  @Test
  void showsNothingOfAnotherOrganizationsEvent() throws Exception {
    // given
    OrganizationId owner = organization();
    OrganizationId stranger = organization();
    Event event = pushedAStepLater(owner);
    attempt(owner, event, endpointOf(owner), at -> delivered(at));

    // when / then
    assertThat(attemptLog().attempts(owner, event.id())).hasSize(1);
    assertThat(attemptLog().attempts(stranger, event.id())).isEmpty();
  }

  @Test
  void forgetsTheAttemptsOfADeletedOrExpiredEvent() throws Exception {
    // given
    OrganizationId organization = organization();
    Event deleted = pushedAStepLater(organization);
    Event expired = pushedAStepLater(organization);
    EndpointId endpoint = endpointOf(organization);
    attempt(organization, deleted, endpoint, at -> delivered(at));
    attempt(organization, expired, endpoint, at -> delivered(at));

    // when
    log.delete(organization, deleted.id());
    log.deleteCreatedBefore(clock.advance(Duration.ofDays(8)), 100);

    // then
    assertThat(attemptLog().attempts(organization, deleted.id())).isEmpty();
    assertThat(attemptLog().attempts(organization, expired.id())).isEmpty();
  }
}
