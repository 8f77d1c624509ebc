package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.Event;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An event's summary after a result: the delivery itself when it is the event's only one, the least
 * advanced of them otherwise; and when two transactions change its deliveries at once, as two nodes
 * recording results to two of its endpoints do: the one that commits last must see the other's
 * change; and a result recorded while an acknowledgement holds the event, which must wait rather
 * than deadlock.
 */
class EventSummariesIT {

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final PostgresSettings settings = TestDatabase.freshSchema();
  private final PostgresDatabase database = PostgresDatabase.start(settings);

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void aResultRecordedWhileAnotherTransactionChangesTheEventsOtherDeliveryKeepsBothInItsSummary()
      throws Exception {
    // given an event fanned out to two endpoints, the second one's delivery claimed
    Claimed claimed = lastDeliveryClaimed(2);
    Event event = claimed.event();
    Endpoint first = claimed.endpoints().get(0);

    try (InterleavedTransaction otherNode = InterleavedTransaction.victim(settings)) {
      // and another transaction, not committed yet, that delivered to the first endpoint and
      // brought the event's summary up to date as it saw it
      assertThat(
              otherNode.run(
                  "UPDATE deliveries SET status = 'delivered', delivered_at = now(),"
                      + " next_attempt_at = NULL WHERE event_id = ? AND endpoint_id = ?",
                  event.id().value(),
                  first.id().value()))
          .isEqualTo(1);
      assertThat(otherNode.run("UPDATE events SET attempts = 1 WHERE id = ?", event.id().value()))
          .isEqualTo(1);

      // when this node records its delivery to the second, and the other commits meanwhile
      CompletableFuture<Optional<Delivery>> recorded = recordedOnceWaiting(claimed);
      otherNode.commit();

      // then the event's summary has both deliveries made
      assertThat(recorded.get(30, TimeUnit.SECONDS)).isPresent();
    }
    assertThat(statusOf(claimed)).isEqualTo(DeliveryStatus.DELIVERED);
  }

  @Test
  void aResultRecordedWhileAnAcknowledgementHoldsTheEventWaitsForItWithoutADeadlock()
      throws Exception {
    // given an event with one delivery, claimed
    Claimed claimed = lastDeliveryClaimed(1);
    Event event = claimed.event();

    try (InterleavedTransaction acknowledging = InterleavedTransaction.victim(settings)) {
      // and an acknowledgement that has locked the event and not yet its deliveries, and that
      // would be the one PostgreSQL aborts should the two wait for each other
      acknowledging.acknowledgeEvent(event.id());

      // when this node records the attempt's result meanwhile
      CompletableFuture<Optional<Delivery>> recorded = recordedOnceWaiting(claimed);

      // then the acknowledgement goes on to the deliveries and commits
      assertThat(acknowledging.endDeliveries(event.id())).isEqualTo(1);
      acknowledging.commit();

      // and the result, whose claim the acknowledgement ended, changes nothing
      assertThat(recorded.get(30, TimeUnit.SECONDS)).isEmpty();
    }
    assertThat(statusOf(claimed)).isEqualTo(DeliveryStatus.DELIVERED);
  }

  @ParameterizedTest
  @MethodSource("results")
  void anEventsLoneDeliveryIsItsSummaryAfterEveryKindOfResult(AttemptResult result) {
    // given an event with one delivery, claimed
    Claimed claimed = lastDeliveryClaimed(1);

    // when the attempt's result is recorded
    Delivery recorded = recorded(claimed, claimed.endpoints().getLast(), result);

    // then the event's summary is that delivery, as written
    assertThat(summaryOf(claimed)).isEqualTo(recorded).isNotEqualTo(claimed.delivery());
  }

  static Stream<AttemptResult> results() {
    Instant at = Instant.parse("2026-01-01T00:00:01Z");
    return Stream.of(
        new AttemptResult.Delivered(at, at),
        new AttemptResult.Retrying(at, "HTTP 500", at.plusSeconds(5)),
        new AttemptResult.Failed(at, "HTTP 500"),
        new AttemptResult.Held(Optional.of(at), "HTTP 410"));
  }

  @Test
  void anEventWithTwoDeliveriesIsSummarizedFromBothAsEachIsRecorded() {
    // given an event fanned out to two endpoints, the second one's delivery claimed
    Claimed claimed = lastDeliveryClaimed(2);
    Endpoint first = claimed.endpoints().get(0);
    Endpoint second = claimed.endpoints().get(1);

    // when the second is delivered
    recorded(claimed, second, new AttemptResult.Delivered(claimed.at(), claimed.at()));

    // then the summary is the first, still pending
    assertThat(summaryOf(claimed).status()).isEqualTo(DeliveryStatus.PENDING);

    // and when the first is claimed and fails for good, it is the failed one
    Instant now = clock.advance(Duration.ofSeconds(1));
    Delivery firstClaimed =
        database
            .deliveries()
            .claim(
                claimed.organization(), claimed.event().id(), first.id(), now, now.plusSeconds(60))
            .orElseThrow()
            .stored()
            .delivery();
    Delivery failed =
        recorded(
            new Claimed(
                claimed.organization(), claimed.event(), claimed.endpoints(), firstClaimed, now),
            first,
            new AttemptResult.Failed(now, "HTTP 500"));
    assertThat(summaryOf(claimed)).isEqualTo(failed);
  }

  /**
   * Records {@code result} of the claimed delivery to {@code endpoint} and returns it as written.
   */
  private Delivery recorded(Claimed claimed, Endpoint endpoint, AttemptResult result) {
    return database
        .deliveries()
        .record(
            claimed.organization(), claimed.event().id(), endpoint.id(), claimed.delivery(), result)
        .orElseThrow();
  }

  private Delivery summaryOf(Claimed claimed) {
    return database
        .events()
        .find(claimed.organization(), claimed.event().id())
        .orElseThrow()
        .delivery();
  }

  /**
   * An event of a new organization fanned out to {@code endpoints} new endpoints, the last one's
   * delivery claimed a second later.
   */
  private Claimed lastDeliveryClaimed(int endpoints) {
    Organization owner = fixtures.organization();
    database.organizations().create(owner, fixtures.ids().newApiKey().hash());
    OrganizationId organization = owner.id();
    List<Endpoint> created = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      Endpoint endpoint = fixtures.endpoint();
      database.endpoints().create(organization, endpoint);
      created.add(endpoint);
    }
    Event event = fixtures.event(organization);
    database.events().append(List.of(event), DeliveryMethod.PUSH);
    Instant now = clock.advance(Duration.ofSeconds(1));
    Delivery delivery =
        database
            .deliveries()
            .claim(organization, event.id(), created.getLast().id(), now, now.plusSeconds(60))
            .orElseThrow()
            .stored()
            .delivery();
    return new Claimed(organization, event, created, delivery, now);
  }

  /**
   * Records the claimed attempt as delivered on another thread, and returns once the ledger waits
   * for a lock.
   */
  private CompletableFuture<Optional<Delivery>> recordedOnceWaiting(Claimed claimed)
      throws Exception {
    return InterleavedTransaction.startedUntilWaiting(
        settings,
        () ->
            database
                .deliveries()
                .record(
                    claimed.organization(),
                    claimed.event().id(),
                    claimed.endpoints().getLast().id(),
                    claimed.delivery(),
                    new AttemptResult.Delivered(claimed.at(), claimed.at())));
  }

  private DeliveryStatus statusOf(Claimed claimed) {
    return database
        .events()
        .find(claimed.organization(), claimed.event().id())
        .orElseThrow()
        .delivery()
        .status();
  }

  /** An event, its endpoints and its last endpoint's delivery as claimed {@code at}. */
  private record Claimed(
      OrganizationId organization,
      Event event,
      List<Endpoint> endpoints,
      Delivery delivery,
      Instant at) {}
}
