package io.triggers.bootstrap;

import static io.triggers.adapters.http.ApiClient.number;
import static io.triggers.adapters.http.ApiClient.text;
import static io.triggers.bootstrap.Eventually.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.adapters.postgres.TestDatabase;
import io.triggers.adapters.redis.TestRedis;
import io.triggers.bootstrap.config.SettingsParser;
import io.triggers.core.testing.StandardWebhooksVerifier;
import io.triggers.core.testing.WebhookReceiver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No delivery is lost with the node or the queue that held it: a server process killed with
 * SIGKILL, or the cluster's Redis flushed, while a delivery waits for its retry, and the delivery
 * is still completed from what PostgreSQL keeps.
 */
class WebhookRecoveryIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path workDir;

  @Test
  void aDeliveryWaitingForItsRetryOnAKilledNodeIsCompletedByTheNextNode() throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        WebhookReceiver receiver = new WebhookReceiver()) {
      // given: a node whose receiver fails the first attempt
      String databaseUrl = postgres.getJdbcUrl("postgres", "postgres");
      receiver.answer(request -> WebhookReceiver.Answer.status(503));
      RunningServer first =
          RunningServer.start(
              workDir,
              List.of(),
              List.of(
                  "--host",
                  "127.0.0.1",
                  "--database-url",
                  databaseUrl,
                  "--webhook-allow-private",
                  "true"),
              Map.of());
      String key;
      String secret;
      String id;
      try {
        ApiClient firstApi = new ApiClient(first.port());
        key = firstApi.newOrganization();
        secret = firstApi.configureWebhook(key, receiver.url("/orders"));
        id = firstApi.ingest(key, "order.created");
        assertThat(receiver.requests().poll(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isNotNull();
        await(PATIENCE, () -> "retrying".equals(text(firstApi.event(key, id), "status")));

        // when: the node is killed before the retry and another one starts
        first.process().toHandle().destroyForcibly();
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      } finally {
        first.process().destroyForcibly();
      }
      receiver.answer(request -> WebhookReceiver.Answer.status(200));
      TriggersApplication second = startInProcess(databaseUrl, Optional.empty());
      try {
        ApiClient secondApi = new ApiClient(second.port());

        // then: the second node sends the same message again and records the delivery
        WebhookReceiver.Request retry =
            receiver.requests().poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(retry).isNotNull();
        assertThat(retry.header("webhook-id")).isEqualTo(id);
        assertThat(
                new StandardWebhooksVerifier(secret)
                    .verify(
                        retry.header("webhook-id"),
                        retry.header("webhook-timestamp"),
                        retry.header("webhook-signature"),
                        retry.body(),
                        Instant.now()))
            .isTrue();
        await(PATIENCE, () -> "delivered".equals(text(secondApi.event(key, id), "status")));
        assertThat(number(secondApi.event(key, id), "attempts")).isEqualTo(2);
      } finally {
        second.stop();
      }
    }
  }

  @Test
  void aDeliveryWaitingForItsRetryInAFlushedRedisIsStillMadeOnceByOneOfTwoNodes() throws Exception {
    TestRedis.Server redis = TestRedis.start();
    String databaseUrl = TestDatabase.freshSchemaUrl();
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      // given: two cluster nodes, and a receiver that fails the first attempt
      AtomicInteger requests = new AtomicInteger();
      receiver.answer(
          request -> WebhookReceiver.Answer.status(requests.incrementAndGet() == 1 ? 503 : 200));
      TriggersApplication first = startInProcess(databaseUrl, Optional.of(redis.url()));
      TriggersApplication second = startInProcess(databaseUrl, Optional.of(redis.url()));
      try {
        ApiClient api = new ApiClient(first.port());
        String key = api.newOrganization();
        api.configureWebhook(key, receiver.url("/orders"));
        String id = api.ingest(key, "order.created");
        await(PATIENCE, () -> "retrying".equals(text(api.event(key, id), "status")));

        // when: Redis forgets the queued retry
        redis.flushAll();

        // then: the retry is made all the same, by one node, with the same message id
        await(PATIENCE, () -> "delivered".equals(text(api.event(key, id), "status")));
        assertThat(number(api.event(key, id), "attempts")).isEqualTo(2);
        assertThat(receiver.requests())
            .hasSize(2)
            .allSatisfy(request -> assertThat(request.header("webhook-id")).isEqualTo(id));
      } finally {
        second.stop();
        first.stop();
      }
    } finally {
      redis.stop();
    }
  }

  private static TriggersApplication startInProcess(String databaseUrl, Optional<String> redisUrl) {
    Map<String, String> environment = new HashMap<>();
    environment.put("TRIGGERS_HOST", "127.0.0.1");
    environment.put("TRIGGERS_PORT", "0");
    environment.put("TRIGGERS_DATABASE_URL", databaseUrl);
    environment.put("TRIGGERS_WEBHOOK_ALLOW_PRIVATE", "true");
    redisUrl.ifPresent(url -> environment.put("TRIGGERS_REDIS_URL", url));
    TriggersApplication application =
        Triggers.create(
            SettingsParser.parse(environment, List.of()), Clock.tickMillis(ZoneOffset.UTC));
    application.start();
    return application;
  }
}
