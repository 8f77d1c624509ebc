package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.triggers.core.model.Delivery;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.Health;
import io.triggers.core.model.LeaseId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Payload;
import io.triggers.core.model.RateLimit;
import io.triggers.core.model.SigningSecret;
import io.triggers.core.model.Webhook;
import io.triggers.core.port.in.CheckReadiness;
import io.triggers.core.port.in.ConfigureWebhook;
import io.triggers.core.port.in.ExtendLease;
import io.triggers.core.port.in.IngestEvent;
import io.triggers.core.port.in.RedeliverEvent;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Pins every case of every sealed use case outcome to the status code it answers with. */
class OutcomeStatusTest {

  private static final EventId ID = EventId.parse("01900000-0000-7000-8000-000000000000");
  private static final OrganizationId ORGANIZATION = new OrganizationId(UUID.randomUUID());
  private static final Event EVENT =
      new Event(
          ID,
          ORGANIZATION,
          new EventType("t"),
          new Payload("{}"),
          Optional.empty(),
          Instant.parse("2025-01-15T10:00:00Z"));
  private static final RateLimit.Allowed ALLOWED =
      new RateLimit.Allowed(100, 99, Duration.ofMillis(600));
  private static final RateLimit.Denied DENIED =
      new RateLimit.Denied(100, Duration.ofMillis(1_500), Duration.ofSeconds(60));

  @Test
  void ingestOutcomesMapToAcceptedConflictAndTooManyRequests() {
    // when
    Reply accepted = IngestRoutes.reply(new IngestEvent.Outcome.Accepted(EVENT, ALLOWED));
    Reply duplicate = IngestRoutes.reply(new IngestEvent.Outcome.Duplicate(ID, ALLOWED));
    Reply limited = IngestRoutes.reply(new IngestEvent.Outcome.RateLimited(DENIED));

    // then
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.body())
        .isEqualTo(
            new Reply.ErrorBody(
                "duplicate_event",
                "an event with this dedup_id already exists",
                Map.of("id", ID.toString())));
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers())
        .containsEntry("Retry-After", "2")
        .containsEntry("X-RateLimit-Limit", "100")
        .containsEntry("X-RateLimit-Remaining", "0")
        .containsEntry("X-RateLimit-Reset", "60");
    assertThat(accepted.headers()).containsEntry("X-RateLimit-Remaining", "99");
    assertThat(duplicate.headers()).containsKey("X-RateLimit-Reset");
  }

  @Test
  void batchOutcomesMapToAcceptedAndTooManyRequests() {
    // given
    ArrayNode events = new ObjectMapper().createArrayNode();
    events.addObject().put("type", "t").putObject("payload");
    IngestRoutes.ParsedBatch batch = IngestRoutes.ParsedBatch.of(events);

    // when
    Reply processed =
        batch.reply(
            new IngestEvent.BatchOutcome.Processed(
                List.of(new IngestEvent.ItemResult.Accepted(EVENT)), ALLOWED));
    Reply limited = batch.reply(new IngestEvent.BatchOutcome.RateLimited(DENIED));

    // then
    assertThat(processed.status()).isEqualTo(202);
    assertThat(processed.headers()).containsKey("X-RateLimit-Limit");
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.headers()).containsKey("Retry-After");
  }

  @Test
  void redeliveryOutcomesMapToAcceptedNotFoundAndConflict() {
    // when
    Reply scheduled =
        EventRoutes.reply(new RedeliverEvent.Outcome.Scheduled(ID, Delivery.pending()));
    Reply notFound = EventRoutes.reply(new RedeliverEvent.Outcome.NotFound());
    Reply noWebhook = EventRoutes.reply(new RedeliverEvent.Outcome.NoWebhook());
    Reply revived = EventRoutes.reply(new RedeliverEvent.Outcome.Revived(ID, Delivery.pending()));
    Reply unknownEndpoint = EventRoutes.reply(new RedeliverEvent.Outcome.EndpointNotFound());
    Reply notSubscribed = EventRoutes.reply(new RedeliverEvent.Outcome.NotSubscribed());

    // then
    assertThat(unknownEndpoint.status()).isEqualTo(404);
    assertThat(((Reply.ErrorBody) unknownEndpoint.body()).code()).isEqualTo("endpoint_not_found");
    assertThat(notSubscribed.status()).isEqualTo(409);
    assertThat(((Reply.ErrorBody) notSubscribed.body()).code())
        .isEqualTo("endpoint_not_subscribed");
    assertThat(scheduled.status()).isEqualTo(202);
    assertThat(revived.status()).isEqualTo(202);
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(noWebhook.status()).isEqualTo(409);
    assertThat(((Reply.ErrorBody) noWebhook.body()).code()).isEqualTo("no_webhook");
  }

  @Test
  void extendOutcomesMapToOkNotFoundAndConflict() {
    // when
    Reply extended =
        LeaseRoutes.reply(
            new ExtendLease.Outcome.Extended(
                new LeaseId(UUID.randomUUID()), Instant.now(), List.of(ID)));
    Reply notFound = LeaseRoutes.reply(new ExtendLease.Outcome.NotFound());
    Reply expired = LeaseRoutes.reply(new ExtendLease.Outcome.Expired());

    // then
    assertThat(extended.status()).isEqualTo(200);
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(expired.status()).isEqualTo(409);
    assertThat(((Reply.ErrorBody) expired.body()).code()).isEqualTo("lease_expired");
  }

  @Test
  void webhookOutcomesMapToOkAndBadRequest() {
    // given
    Webhook webhook =
        new Webhook(
            URI.create("https://example.com/hook"),
            new SigningSecret("whsec_c2VjcmV0"),
            Instant.parse("2025-01-15T10:00:00Z"));

    // when
    Reply configured =
        WebhookRoutes.reply(ORGANIZATION, new ConfigureWebhook.Outcome.Configured(webhook));
    Reply refused = WebhookRoutes.reply(ORGANIZATION, new ConfigureWebhook.Outcome.Refused("no"));

    // then
    assertThat(configured.status()).isEqualTo(200);
    assertThat(refused.status()).isEqualTo(400);
    assertThat(((Reply.ErrorBody) refused.body()).code()).isEqualTo("invalid_webhook_url");
  }

  @Test
  void readinessMapsToOkOrServiceUnavailable() {
    // when
    Reply ready = HealthRoutes.reply(new CheckReadiness.Readiness(true, Map.of("db", Health.up())));
    Reply notReady =
        HealthRoutes.reply(
            new CheckReadiness.Readiness(
                false, Map.of("db", new Health(Health.Status.DOWN, "refused"))));

    // then
    assertThat(ready.status()).isEqualTo(200);
    assertThat(notReady.status()).isEqualTo(503);
  }
}
