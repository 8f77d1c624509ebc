package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.bootstrap.config.Settings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  private Api client;

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
            Duration.ofSeconds(30));
    server = Triggers.create(settings, Clock.systemUTC());
    server.start();
    client = new Api(server.port());
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
    List<HttpResponse<String>> responses = new ArrayList<>();
    try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> sent = new ArrayList<>();
      for (String dedupId : dedupIds) {
        sent.add(senders.submit(() -> client.ingest(apiKey, Optional.of(dedupId))));
      }
      for (Future<HttpResponse<String>> response : sent) {
        responses.add(response.get());
      }
    }

    // then each distinct dedup id is accepted once and every repeat names the accepted event
    Map<String, String> acceptedIdByDedupId = new ConcurrentHashMap<>();
    List<HttpResponse<String>> duplicates = new ArrayList<>();
    for (HttpResponse<String> response : responses) {
      if (response.statusCode() == 202) {
        String dedupId = Api.text(response.body(), "dedup_id");
        assertThat(acceptedIdByDedupId.put(dedupId, Api.text(response.body(), "id")))
            .as("dedup id %s accepted twice", dedupId)
            .isNull();
      } else {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
        duplicates.add(response);
      }
    }
    assertThat(acceptedIdByDedupId).hasSize(900);
    assertThat(duplicates).hasSize(100);
    for (HttpResponse<String> duplicate : duplicates) {
      assertThat(acceptedIdByDedupId).containsValue(Api.text(duplicate.body(), "id"));
    }
    assertThat(Api.json(client.get("/api/inbox?limit=1000", apiKey).body()).get("events"))
        .hasSize(900);
  }

  @Test
  void answers503WhilePostgresIsDownAndRecoversWithoutARestart() throws Exception {
    // given
    String apiKey = client.newApiKey("pro");
    assertThat(client.ingest(apiKey, Optional.empty()).statusCode()).isEqualTo(202);

    // when the database goes away
    postgres.close();
    postgres = null;

    // then ingest is refused as unavailable, never accepted, and the node is not ready
    HttpResponse<String> refused = client.ingest(apiKey, Optional.of("during-outage"));
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After").orElse(null)).isNotBlank();
    assertThat(Api.text(refused.body(), "error")).isEqualTo("unavailable");
    assertThat(client.get("/health/ready").statusCode()).isEqualTo(503);

    // when it comes back on the same port and data
    postgres = ExternalPostgres.start(databaseDir, postgresPort);

    // then the same server accepts events again
    Instant deadline = Instant.now().plusSeconds(30);
    int status;
    do {
      Thread.sleep(200);
      status = client.ingest(apiKey, Optional.of("after-outage")).statusCode();
    } while (status != 202 && Instant.now().isBefore(deadline));
    assertThat(status).isEqualTo(202);
    assertThat(client.get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(client.ingest(apiKey, Optional.of("during-outage")).statusCode())
        .as("the event refused during the outage was not stored")
        .isEqualTo(202);
  }
}
