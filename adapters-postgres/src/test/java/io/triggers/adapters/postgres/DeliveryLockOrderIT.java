package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.EndpointDelivery;
import io.triggers.core.model.Event;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger's writes that change an endpoint's or an event's deliveries while an acknowledgement
 * holds the event: each locks the event before its deliveries, as the acknowledgement does, so it
 * waits for the acknowledgement instead of deadlocking with it. The acknowledgement gets a short
 * {@code deadlock_timeout}, so that it is the one PostgreSQL would abort.
 */
class DeliveryLockOrderIT {

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final PostgresSettings settings = TestDatabase.freshSchema();
  private final PostgresDatabase database = PostgresDatabase.start(settings);

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void releasingAnEndpointsHeldDeliveriesWaitsForAnAcknowledgementOfTheirEvent() throws Exception {
    // given a held delivery
    Fanned fanned = fannedOut("held");

    // when the endpoint is released while the event is being acknowledged
    int released =
        whileAcknowledging(
            fanned,
            () ->
                database
                    .deliveries()
                    .release(fanned.organization(), fanned.endpoint().id(), clock.instant()));

    // then the acknowledgement ended the delivery first, and nothing was left to release
    assertThat(released).isZero();
    assertThat(statusOf(fanned)).isEqualTo(DeliveryStatus.DELIVERED);
  }

  @Test
  void recoveringAnEndpointsFailedDeliveriesWaitsForAnAcknowledgementOfTheirEvent()
      throws Exception {
    // given a failed delivery
    Fanned fanned = fannedOut("failed");

    // when the endpoint is recovered while the event is being acknowledged
    int recovered =
        whileAcknowledging(
            fanned,
            () ->
                database
                    .deliveries()
                    .recover(
                        fanned.organization(),
                        fanned.endpoint().id(),
                        fanned.event().createdAt(),
                        clock.instant(),
                        false));

    // then
    assertThat(recovered).isZero();
    assertThat(statusOf(fanned)).isEqualTo(DeliveryStatus.DELIVERED);
  }

  @Test
  void endingAnEndpointsDeliveriesWaitsForAnAcknowledgementOfTheirEvent() throws Exception {
    // given a pending delivery
    Fanned fanned = fannedOut("pending");

    // when the endpoint's deliveries are ended while the event is being acknowledged
    int ended =
        whileAcknowledging(
            fanned,
            () ->
                database
                    .deliveries()
                    .endAll(fanned.organization(), fanned.endpoint().id(), "endpoint deleted"));

    // then
    assertThat(ended).isZero();
    assertThat(statusOf(fanned)).isEqualTo(DeliveryStatus.DELIVERED);
  }

  @Test
  void redeliveringAnEventWaitsForAnAcknowledgementOfIt() throws Exception {
    // given a failed delivery
    Fanned fanned = fannedOut("failed");

    // when the event is redelivered while it is being acknowledged
    int redelivered =
        whileAcknowledging(
            fanned,
            () ->
                database
                    .deliveries()
                    .scheduleRedelivery(
                        fanned.organization(),
                        fanned.event().id(),
                        List.of(fanned.endpoint().id()),
                        clock.instant())
                    .orElseThrow()
                    .size());

    // then the redelivery, which came second, stands
    assertThat(redelivered).isEqualTo(1);
    assertThat(statusOf(fanned)).isEqualTo(DeliveryStatus.PENDING);
    assertThat(
            database.deliveries().deliveries(fanned.organization(), fanned.event().id()).stream()
                .map(EndpointDelivery::delivery)
                .map(Delivery::status))
        .containsExactly(DeliveryStatus.PENDING);
  }

  /**
   * Runs {@code change} on another thread while an acknowledgement of the event has locked the
   * event and not yet its deliveries; once the change waits for a lock, the acknowledgement goes on
   * to the deliveries and commits, which must not be a deadlock. Returns what the change returned.
   */
  private <T> T whileAcknowledging(Fanned fanned, Supplier<T> change) throws Exception {
    try (InterleavedTransaction acknowledging = InterleavedTransaction.victim(settings)) {
      acknowledging.acknowledgeEvent(fanned.event().id());
      CompletableFuture<T> changed = acknowledging.startWaiting(change);
      assertThat(acknowledging.endDeliveries(fanned.event().id())).isEqualTo(1);
      acknowledging.commit();
      return changed.get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * An event of a new organization fanned out to one new endpoint, its delivery then set to {@code
   * status} (scheduled only if pending); the clock then moves a second on.
   */
  private Fanned fannedOut(String status) {
    Organization owner = fixtures.organization();
    database.organizations().create(owner, fixtures.ids().newApiKey().hash());
    OrganizationId organization = owner.id();
    Endpoint endpoint = fixtures.endpoint();
    database.endpoints().create(organization, endpoint);
    Event event = fixtures.event(organization);
    database.events().append(List.of(event), DeliveryMethod.PUSH);
    TestDatabase.execute(
        settings,
        "UPDATE deliveries SET status = '"
            + status
            + "', next_attempt_at = CASE WHEN '"
            + status
            + "' = 'pending' THEN next_attempt_at END WHERE event_id = '"
            + event.id().value()
            + "'");
    clock.advance(Duration.ofSeconds(1));
    return new Fanned(organization, event, endpoint);
  }

  private DeliveryStatus statusOf(Fanned fanned) {
    return database
        .events()
        .find(fanned.organization(), fanned.event().id())
        .orElseThrow()
        .delivery()
        .status();
  }

  /** An event and the one endpoint it was fanned out to. */
  private record Fanned(OrganizationId organization, Event event, Endpoint endpoint) {}
}
