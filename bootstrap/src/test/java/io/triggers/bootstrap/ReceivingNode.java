package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.triggers.adapters.http.ApiClient;
import io.triggers.bootstrap.config.SettingsParser;
import io.triggers.core.testing.WebhookReceiver;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A zero-configuration server (embedded PostgreSQL, no Redis) that may send webhooks to this
 * machine, and a real receiver here that records every request and answers each path with the
 * status a test set for it, 200 unless set. For the tests of endpoints through the whole server.
 */
final class ReceivingNode implements AutoCloseable {

  private final WebhookReceiver receiver = new WebhookReceiver();
  private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
  private final List<WebhookReceiver.Request> received = new CopyOnWriteArrayList<>();
  private final TriggersApplication node;
  private final ApiClient api;

  private ReceivingNode(Path dataDir, Clock clock, Map<String, String> settings) {
    receiver.answer(
        request -> {
          received.add(request);
          return WebhookReceiver.Answer.status(statuses.getOrDefault(request.path(), 200));
        });
    node = startServer(dataDir, clock, settings);
    api = new ApiClient(node.port());
  }

  /** Starts the receiver and a server in {@code dataDir}, with {@code settings} besides. */
  static ReceivingNode start(Path dataDir, Clock clock, Map<String, String> settings) {
    return new ReceivingNode(dataDir, clock, settings);
  }

  /**
   * Starts a zero-configuration server in {@code dataDir} on a free port of 127.0.0.1 that may send
   * webhooks to private addresses, with {@code settings} besides.
   */
  static TriggersApplication startServer(Path dataDir, Clock clock, Map<String, String> settings) {
    Map<String, String> all = new HashMap<>(settings);
    all.put("TRIGGERS_HOST", "127.0.0.1");
    all.put("TRIGGERS_PORT", "0");
    all.put("TRIGGERS_DATA_DIR", dataDir.toString());
    all.put("TRIGGERS_WEBHOOK_ALLOW_PRIVATE", "true");
    TriggersApplication server = Triggers.create(SettingsParser.parse(all, List.of()), clock);
    server.start();
    return server;
  }

  ApiClient api() {
    return api;
  }

  /** The receiver's URL for {@code path}. */
  URI url(String path) {
    return receiver.url(path);
  }

  /** Has the receiver answer {@code path} with {@code status} from now on. */
  void answer(String path, int status) {
    statuses.put(path, status);
  }

  /** The requests the receiver got on {@code path}, in the order they came. */
  List<WebhookReceiver.Request> requestsTo(String path) {
    return received.stream().filter(request -> request.path().equals(path)).toList();
  }

  /** Creates an endpoint of the organization posting to {@code path}, for the types given. */
  JsonNode createEndpoint(String key, String path, String eventTypes) {
    ApiClient.Response created =
        api.send(
            "POST",
            "/api/endpoints",
            Optional.of(key),
            "{\"url\":\"" + url(path) + "\",\"event_types\":" + eventTypes + "}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json();
  }

  /** Changes an endpoint of the organization, expecting 200. */
  void patchEndpoint(String key, String endpoint, String json) {
    ApiClient.Response changed =
        api.send("PATCH", "/api/endpoints/" + endpoint, Optional.of(key), json);
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
  }

  @Override
  public void close() {
    try {
      node.stop();
    } finally {
      receiver.close();
    }
  }
}
