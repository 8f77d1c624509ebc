package io.triggers.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.model.AttemptResult;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.EndpointDelivery;
import io.triggers.core.model.EndpointId;
import io.triggers.core.model.Event;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.StoredEvent;
import io.triggers.core.port.out.DeliveryLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DeliveryLedger} must do to recover an endpoint's failed deliveries ({@link
 * DeliveryLedger#recover}): only that endpoint's, only failed ones, only of events created since
 * the time, due again with a fresh schedule or held; extend it with a factory for the storage.
 */
public abstract class DeliveryRecoveryContract extends EventStorageContract {

  @Test
  void recoversOnlyTheEndpointsFailedDeliveriesOfEventsCreatedSinceTheTime() throws Exception {
    // given
    OrganizationId organization = organization();
    EndpointId endpoint = endpointOf(organization);
    EndpointId other = secondEndpoint(organization);
    Event before = pushedAStepLater(organization);
    failed(organization, before, endpoint);
    Instant since = clock.advance(Duration.ofSeconds(1));
    Event failedOne = pushedAStepLater(organization);
    Instant failedAt = failed(organization, failedOne, endpoint);
    failed(organization, failedOne, other);
    Event deliveredOne = pushedAStepLater(organization);
    attempt(organization, deliveredOne, endpoint, at -> new AttemptResult.Delivered(at, at));
    Instant due = clock.advance(Duration.ofMinutes(1));

    // when
    int recovered = ledger.recover(organization, endpoint, since, due, false);

    // then
    assertThat(recovered).isEqualTo(1);
    assertThat(deliveryOf(organization, failedOne, endpoint))
        .isEqualTo(
            new Delivery(
                DeliveryStatus.PENDING,
                0,
                Optional.of(failedAt),
                Optional.of(due),
                Optional.of("HTTP 500"),
                Optional.empty()));
    assertThat(deliveryOf(organization, failedOne, other).status())
        .isEqualTo(DeliveryStatus.FAILED);
    assertThat(deliveryOf(organization, before, endpoint).status())
        .isEqualTo(DeliveryStatus.FAILED);
    assertThat(deliveryOf(organization, deliveredOne, endpoint).status())
        .isEqualTo(DeliveryStatus.DELIVERED);
    assertThat(
            log.find(organization, failedOne.id()).map(StoredEvent::delivery).map(d -> d.status()))
        .contains(DeliveryStatus.PENDING);
    assertThat(ledger.claim(organization, failedOne.id(), endpoint, due, due.plus(LEASE)))
        .isPresent();
  }

  @Test
  void recoversAsHeldWhenAskedToHoldThenReleasesThemLikeAnyHeldDelivery() throws Exception {
    // given
    OrganizationId organization = organization();
    EndpointId endpoint = endpointOf(organization);
    Instant since = clock.instant();
    Event event = pushedAStepLater(organization);
    failed(organization, event, endpoint);
    Instant now = clock.advance(Duration.ofMinutes(1));

    // when
    int recovered = ledger.recover(organization, endpoint, since, now, true);

    // then
    assertThat(recovered).isEqualTo(1);
    Delivery held = deliveryOf(organization, event, endpoint);
    assertThat(held.status()).isEqualTo(DeliveryStatus.HELD);
    assertThat(held.attempts()).isZero();
    assertThat(held.nextAttemptAt()).isEmpty();
    assertThat(ledger.claim(organization, event.id(), endpoint, now, now.plus(LEASE))).isEmpty();
    assertThat(ledger.release(organization, endpoint, now)).isEqualTo(1);
    assertThat(deliveryOf(organization, event, endpoint).status())
        .isEqualTo(DeliveryStatus.PENDING);
    assertThat(ledger.claim(organization, event.id(), endpoint, now, now.plus(LEASE))).isPresent();
  }

  @Test
  void recoversNothingTwiceNorAnotherOrganizationsDeliveries() throws Exception {
    // given
    OrganizationId owner = organization();
    OrganizationId stranger = organization();
    EndpointId endpoint = endpointOf(owner);
    Instant since = clock.instant();
    Event event = pushedAStepLater(owner);
    failed(owner, event, endpoint);
    Instant now = clock.advance(Duration.ofMinutes(1));

    // when
    int byStranger = ledger.recover(stranger, endpoint, since, now, false);
    int first = ledger.recover(owner, endpoint, since, now, false);
    int second = ledger.recover(owner, endpoint, since, now, false);

    // then
    assertThat(byStranger).isZero();
    assertThat(first).isEqualTo(1);
    assertThat(second).isZero();
  }

  /** Claims the delivery and records that it failed for good; returns the attempt's time. */
  private Instant failed(OrganizationId organization, Event event, EndpointId endpoint) {
    return attempt(organization, event, endpoint, at -> new AttemptResult.Failed(at, "HTTP 500"));
  }

  private Delivery deliveryOf(OrganizationId organization, Event event, EndpointId endpoint) {
    return ledger.deliveries(organization, event.id()).stream()
        .filter(delivery -> delivery.endpointId().equals(endpoint))
        .map(EndpointDelivery::delivery)
        .findFirst()
        .orElseThrow();
  }
}
