package io.triggers.core.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.EventId;
import io.triggers.core.model.Health;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.Lease;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.Tier;
import io.triggers.core.port.in.ConfigureWebhook;
import io.triggers.core.port.in.GenerateApiKey;
import io.triggers.core.port.in.IngestEvent;
import io.triggers.core.port.in.LeaseEvents;
import io.triggers.core.port.in.RedeliverEvent;
import io.triggers.core.port.out.HealthCheck;
import io.triggers.core.testing.FakeWebhookSender;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

final class TriggersTest {

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);

  @Test
  void inMemoryIngestsListsAndAcknowledges() {
    try (Triggers triggers = Triggers.inMemory()) {
      Organization acme = organization(triggers);

      IngestEvent.Outcome outcome = triggers.ingestEvent().ingest(acme, fixtures.command("o-1"));
      IngestEvent.Outcome again = triggers.ingestEvent().ingest(acme, fixtures.command("o-1"));

      assertThat(outcome).isInstanceOf(IngestEvent.Outcome.Accepted.class);
      assertThat(again).isInstanceOf(IngestEvent.Outcome.Duplicate.class);
      EventId id = ((IngestEvent.Outcome.Accepted) outcome).event().id();
      assertThat(inbox(triggers, acme)).containsExactly(id);
      assertThat(triggers.acknowledgeEvents().acknowledge(acme.id(), id)).isPresent();
      assertThat(inbox(triggers, acme)).isEmpty();
      assertThat(triggers.getEvent().get(acme.id(), id)).isPresent();
    }
  }

  @Test
  void leasesInboxEventsToOneConsumerAtATime() {
    try (Triggers triggers = Triggers.builder().clock(clock).inboxMaxLeases(1).build()) {
      Organization acme = organization(triggers);
      EventId id = accepted(triggers.ingestEvent().ingest(acme, fixtures.command()));
      LeaseEvents.Command oneSecond = new LeaseEvents.Command(10, 1, Optional.empty());

      Lease lease = triggers.leases().lease().lease(acme.id(), oneSecond).orElseThrow();
      assertThat(lease.events()).extracting(e -> e.event().id()).containsExactly(id);
      assertThat(triggers.leases().lease().lease(acme.id(), oneSecond)).isEmpty();

      clock.advance(Duration.ofSeconds(2));
      assertThat(triggers.leases().lease().lease(acme.id(), oneSecond)).isEmpty();
      assertThat(triggers.getEvent().get(acme.id(), id)).isPresent();
      assertThat(triggers.redeliverEvent().redeliver(acme.id(), id))
          .isInstanceOf(RedeliverEvent.Outcome.Revived.class);
      assertThat(triggers.leases().lease().lease(acme.id(), oneSecond)).isPresent();
    }
  }

  @Test
  void anotherOrganizationSeesNoneOfTheEvents() {
    try (Triggers triggers = Triggers.inMemory()) {
      Organization acme = organization(triggers);
      Organization other = organization(triggers);
      EventId id = accepted(triggers.ingestEvent().ingest(acme, fixtures.command()));

      assertThat(triggers.getEvent().get(other.id(), id)).isEmpty();
      assertThat(triggers.acknowledgeEvents().acknowledge(other.id(), id)).isEmpty();
      assertThat(inbox(triggers, other)).isEmpty();
    }
  }

  @Test
  void usesThePortTheHostSupplies() {
    try (Triggers triggers =
        Triggers.builder()
            .rateLimiter(
                (organization, tier, permits) ->
                    new RateLimit.Denied(1, Duration.ofSeconds(1), Duration.ofSeconds(1)))
            .build()) {
      Organization acme = organization(triggers);

      assertThat(triggers.ingestEvent().ingest(acme, fixtures.command()))
          .isInstanceOf(IngestEvent.Outcome.RateLimited.class);
      assertThat(inbox(triggers, acme)).isEmpty();
    }
  }

  @Test
  void deliversWebhooksOnlyOnceStarted() throws InterruptedException {
    FakeWebhookSender sender = new FakeWebhookSender();
    try (Triggers triggers =
        Triggers.builder()
            .webhookSender(sender)
            .hostResolver(host -> List.of(InetAddress.getLoopbackAddress()))
            .webhookAllowPrivate(true)
            .build()) {
      Organization acme = organization(triggers);
      assertThat(triggers.configureWebhook().configure(acme.id(), "https://hooks.example.com/in"))
          .isInstanceOf(ConfigureWebhook.Outcome.Configured.class);
      EventId id = accepted(triggers.ingestEvent().ingest(acme, fixtures.command()));
      Thread.sleep(200);
      assertThat(sender.messages()).isEmpty();

      triggers.start();

      awaitTrue(() -> sender.messages().size() == 1);
      assertThat(sender.messages().getFirst().event().id()).isEqualTo(id);
    }
  }

  @Test
  void deletesExpiredEventsPeriodicallyOnceStarted() {
    try (Triggers triggers =
        Triggers.builder()
            .clock(clock)
            .retention(Duration.ofHours(1))
            .retentionPeriod(Duration.ofMillis(20))
            .build()) {
      Organization acme = organization(triggers);
      EventId id = accepted(triggers.ingestEvent().ingest(acme, fixtures.command()));
      clock.advance(Duration.ofHours(2));

      triggers.start();

      awaitTrue(() -> triggers.getEvent().get(acme.id(), id).isEmpty());
    }
  }

  @Test
  void closesTheResourcesHandedToItInReverseOrderOnce() {
    List<String> closed = new CopyOnWriteArrayList<>();
    Triggers triggers =
        Triggers.builder()
            .closeWith(() -> closed.add("database"))
            .closeWith(() -> closed.add("redis"))
            .build();
    triggers.start();

    triggers.close();
    triggers.close();

    assertThat(closed).containsExactly("redis", "database");
    assertThatThrownBy(triggers::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesASecondStart() {
    try (Triggers triggers = Triggers.inMemory()) {
      triggers.start();

      assertThatThrownBy(triggers::start).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void reportsTheHostsHealthChecks() {
    HealthCheck down =
        new HealthCheck() {
          @Override
          public String name() {
            return "host";
          }

          @Override
          public Health check() {
            return new Health(Health.Status.DOWN, "gone");
          }
        };
    try (Triggers triggers = Triggers.builder().healthCheck(down).build()) {
      assertThat(triggers.checkReadiness().check().ready()).isFalse();
    }
    try (Triggers triggers = Triggers.inMemory()) {
      assertThat(triggers.checkReadiness().check().ready()).isTrue();
    }
  }

  @Test
  void refusesARetentionThatIsNotPositive() {
    assertThatThrownBy(() -> Triggers.builder().retention(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Triggers.builder().retentionPeriod(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Organization organization(Triggers triggers) {
    return triggers
        .generateApiKey()
        .generate(new GenerateApiKey.Command(new OrganizationName("Acme"), Tier.PRO))
        .organization();
  }

  private static EventId accepted(IngestEvent.Outcome outcome) {
    return ((IngestEvent.Outcome.Accepted) outcome).event().id();
  }

  private static List<EventId> inbox(Triggers triggers, Organization organization) {
    return triggers.listInbox().list(organization.id(), InboxQuery.undelivered()).events().stream()
        .map(InboxEvent::event)
        .map(event -> event.id())
        .toList();
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
      Thread.onSpinWait();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
