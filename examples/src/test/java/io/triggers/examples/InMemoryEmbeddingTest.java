package io.triggers.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.embed.Triggers;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InboxQuery;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.Payload;
import io.triggers.core.model.Tier;
import io.triggers.core.port.in.GenerateApiKey;
import io.triggers.core.port.in.IngestEvent;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Triggers all in memory, as a host's unit tests would use it: the lines of the README. */
class InMemoryEmbeddingTest {

  @Test
  void ingestsListsAndAcknowledgesInMemory() {
    try (Triggers triggers = Triggers.inMemory()) {
      Organization acme =
          triggers
              .generateApiKey()
              .generate(new GenerateApiKey.Command(new OrganizationName("Acme"), Tier.PRO))
              .organization();

      IngestEvent.Outcome outcome =
          triggers
              .ingestEvent()
              .ingest(
                  acme,
                  new IngestEvent.Command(
                      new EventType("order.created"),
                      new Payload("{\"order_id\":1042}"),
                      Optional.empty()));

      assertThat(outcome).isInstanceOf(IngestEvent.Outcome.Accepted.class);
      var inbox = triggers.listInbox().list(acme.id(), InboxQuery.undelivered()).events();
      assertThat(inbox).hasSize(1);
      assertThat(triggers.acknowledgeEvents().acknowledge(acme.id(), inbox.getFirst().event().id()))
          .isPresent();
      assertThat(triggers.listInbox().list(acme.id(), InboxQuery.undelivered()).events()).isEmpty();
    }
  }
}
