package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.bootstrap.config.LogSettings;
import io.triggers.bootstrap.config.Settings;
import io.triggers.core.delivery.EndpointBackoff;
import io.triggers.core.model.InboxState;
import io.triggers.core.policy.EndpointHealth;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on an external PostgreSQL (single-node mode), including the database going away. */
class ExternalPostgresIT {

  @TempDir Path databaseDir;
  @TempDir Path dataDir;

  private EmbeddedPostgres postgres;
  private int postgresPort;
  private TriggersApplication server;
  private ApiClient client;

  @BeforeEach
  void startDatabaseAndServer() throws Exception {
    postgres = ExternalPostgres.start(databaseDir, 0);
    postgresPort = postgres.getPort();
    Settings settings =
        new Settings(
            "127.0.0.1",
            0,
            Optional.of(postgres.getJdbcUrl("postgres", "postgres")),
            Optional.empty(),
            dataDir,
            Optional.empty(),
            262_144,
            Duration.ofDays(7),
            true,
            64L * 1024 * 1024,
            Duration.ofSeconds(30),
            16,
            512,
            4,
            Duration.ofSeconds(10),
            OptionalInt.empty(),
            Optional.empty(),
            InboxState.DEFAULT_MAX_LEASES,
            EndpointHealth.DEFAULT_DISABLE_AFTER,
            EndpointBackoff.standard().afterFailures(),
            LogSettings.DEFAULT);
    server = Triggers.create(settings, Clock.systemUTC());
    server.start();
    client = new ApiClient(server.port());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void answersEachOfAThousandConcurrentIngestsExactlyOnceWithTheRightDuplicates() throws Exception {
    // given 1,000 ingests of which every tenth repeats an earlier dedup id
    String apiKey = client.newApiKey("enterprise");
    List<String> dedupIds = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      dedupIds.add(i % 10 == 9 ? "order-" + (i - 1) : "order-" + i);
    }

    // when they are all sent at once
    List<ApiClient.Response> responses = new ArrayList<>();
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<ApiClient.Response>> sent = new ArrayList<>();
      for (String dedupId : dedupIds) {
        sent.add(senders.submit(() -> client.ingest(apiKey, Optional.of(dedupId))));
      }
      for (Future<ApiClient.Response> response : sent) {
        responses.add(response.get());
      }
    }

    // then each distinct dedup id is accepted once and every repeat names the accepted event
    Map<String, String> acceptedIdByDedupId = new ConcurrentHashMap<>();
    List<ApiClient.Response> duplicates = new ArrayList<>();
    for (ApiClient.Response response : responses) {
      if (response.status() == 202) {
        String dedupId = ApiClient.text(response.body(), "dedup_id");
        assertThat(acceptedIdByDedupId.put(dedupId, ApiClient.text(response.body(), "id")))
            .as("dedup id %s accepted twice", dedupId)
            .isNull();
      } else {
        assertThat(response.status()).as(response.body()).isEqualTo(409);
        duplicates.add(response);
      }
    }
    assertThat(acceptedIdByDedupId).hasSize(900);
    assertThat(duplicates).hasSize(100);
    for (ApiClient.Response duplicate : duplicates) {
      assertThat(acceptedIdByDedupId).containsValue(ApiClient.text(duplicate.body(), "id"));
    }
    assertThat(
            ApiClient.json(client.getWithKey("/api/inbox?limit=1000", apiKey).body()).get("events"))
        .hasSize(900);
  }

  @Test
  void answers503WhilePostgresIsDownAndRecoversWithoutARestart() throws Exception {
    // given
    String apiKey = client.newApiKey("pro");
    assertThat(client.ingest(apiKey, Optional.empty()).status()).isEqualTo(202);

    // when the database goes away
    postgres.close();
    postgres = null;

    // then ingest is refused as unavailable, never accepted, and the node is not ready
    ApiClient.Response refused = client.ingest(apiKey, Optional.of("during-outage"));
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After").orElse(null)).isNotBlank();
    assertThat(ApiClient.text(refused.body(), "error")).isEqualTo("unavailable");
    assertThat(client.get("/health/ready").status()).isEqualTo(503);

    // when it comes back on the same port and data
    postgres = ExternalPostgres.start(databaseDir, postgresPort);

    // then the same server accepts events again
    Instant deadline = Instant.now().plusSeconds(30);
    int status;
    do {
      Thread.sleep(200);
      status = client.ingest(apiKey, Optional.of("after-outage")).status();
    } while (status != 202 && Instant.now().isBefore(deadline));
    assertThat(status).isEqualTo(202);
    assertThat(client.get("/health/ready").status()).isEqualTo(200);
    assertThat(client.ingest(apiKey, Optional.of("during-outage")).status())
        .as("the event refused during the outage was not stored")
        .isEqualTo(202);
  }
}
