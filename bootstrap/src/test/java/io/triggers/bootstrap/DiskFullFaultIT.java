package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.adapters.http.ApiClient;
import io.triggers.adapters.postgres.SmallFilesystem;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose PostgreSQL keeps its data on a small filesystem of its own, which fills up and is
 * freed again: ingest is refused with 503s while it is full, never 500s, readiness says why, and
 * ingest resumes once there is space, without a restart of the node.
 */
class DiskFullFaultIT {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path mountPoint;
  @TempDir Path dataDir;

  private SmallFilesystem filesystem;
  private EmbeddedPostgres postgres;
  private TriggersApplication server;

  @BeforeEach
  void mountASmallFilesystem() throws Exception {
    filesystem = SmallFilesystem.mount(mountPoint);
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (filesystem != null) {
      filesystem.unmount();
    }
  }

  @Test
  void answers503WhileTheDatabaseDiskIsFullAndAcceptsAgainOnceThereIsSpace() throws Exception {
    // given a node on a PostgreSQL whose disk is then filled up
    postgres = filesystem.startPostgres(0);
    int port = postgres.getPort();
    String databaseUrl = postgres.getJdbcUrl("postgres", "postgres");
    server = SingleNode.start(databaseUrl, dataDir);
    ApiClient api = new ApiClient(server.port());
    String apiKey = api.newApiKey("enterprise");
    List<String> accepted = new ArrayList<>();
    accepted.add(api.ingest(apiKey, "order.created"));
    filesystem.fill();

    // when events keep coming
    List<ApiClient.Response> refused = new ArrayList<>();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (refused.size() < 20 && System.nanoTime() - deadline < 0) {
      ApiClient.Response response = api.ingest(apiKey, Optional.empty());
      if (response.status() == 202) {
        accepted.add(ApiClient.field(response.body(), "id"));
      } else {
        assertThat(response.status()).as(response.body()).isEqualTo(503);
        refused.add(response);
      }
    }

    // then they are refused as unavailable, with Retry-After, and readiness says why
    assertThat(refused).as("ingests refused on a full disk").hasSize(20);
    for (ApiClient.Response response : refused) {
      assertThat(ApiClient.text(response.body(), "error")).isEqualTo("unavailable");
      assertThat(ApiClient.text(response.body(), "request_id")).isNotBlank();
      assertThat(response.headers().firstValue("Retry-After")).isPresent();
      assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }
    ApiClient.Response ready = api.get("/health/ready");
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ApiClient.json(ready.body()).path("checks").path("postgres").path("detail").asText())
        .contains("disk full");

    // when there is space again (and PostgreSQL runs, should it have stopped for want of it)
    filesystem.free();
    if (!answers(databaseUrl)) {
      postgres.close();
      postgres = filesystem.startPostgres(port);
    }

    // then the same node accepts events again and is ready
    Eventually.await(PATIENCE, () -> accept(api, apiKey, accepted));
    for (int i = 0; i < 20; i++) {
      accepted.add(api.ingest(apiKey, "order.created"));
    }
    Eventually.await(PATIENCE, () -> api.get("/health/ready").status() == 200);

    // and every event answered 202 can be read back
    for (String id : accepted) {
      assertThat(api.getWithKey("/api/events/" + id, apiKey).status())
          .as("event %s", id)
          .isEqualTo(200);
    }
  }

  private static boolean accept(ApiClient api, String apiKey, List<String> accepted) {
    ApiClient.Response response = api.ingest(apiKey, Optional.empty());
    if (response.status() == 202) {
      accepted.add(ApiClient.field(response.body(), "id"));
      return true;
    }
    assertThat(response.status()).as(response.body()).isEqualTo(503);
    return false;
  }

  private static boolean answers(String databaseUrl) {
    try (Connection connection = DriverManager.getConnection(databaseUrl)) {
      return connection.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }
}
