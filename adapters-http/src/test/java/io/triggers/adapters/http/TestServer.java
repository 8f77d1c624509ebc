package io.triggers.adapters.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.triggers.core.memory.InMemoryDeduplicator;
import io.triggers.core.memory.InMemoryDeliveryQueue;
import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.memory.InMemoryOrganizations;
import io.triggers.core.memory.LocalAdmission;
import io.triggers.core.memory.LocalRateLimiter;
import io.triggers.core.memory.SecureIdGenerator;
import io.triggers.core.memory.SystemHostResolver;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.out.AttemptLog;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.HealthCheck;
import io.triggers.core.port.out.Inbox;
import io.triggers.core.port.out.InboxLeases;
import io.triggers.core.service.AcknowledgeEventsService;
import io.triggers.core.service.AcknowledgeLeaseService;
import io.triggers.core.service.AuthenticateApiKeyService;
import io.triggers.core.service.CheckReadinessService;
import io.triggers.core.service.ConfigureWebhookService;
import io.triggers.core.service.DeleteEventService;
import io.triggers.core.service.ExtendLeaseService;
import io.triggers.core.service.GenerateApiKeyService;
import io.triggers.core.service.GetEventService;
import io.triggers.core.service.GetInboxStateService;
import io.triggers.core.service.IngestEventService;
import io.triggers.core.service.LeaseEventsService;
import io.triggers.core.service.ListAttemptsService;
import io.triggers.core.service.ListDeadEventsService;
import io.triggers.core.service.ListInboxService;
import io.triggers.core.service.ManageEndpointsService;
import io.triggers.core.service.RecoverEndpointService;
import io.triggers.core.service.RedeliverEventService;
import io.triggers.core.service.ReleaseLeaseService;
import io.triggers.core.service.RotateApiKeyService;
import io.triggers.core.service.SeekInboxService;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real HTTP server on a free port, wired by hand to the in-memory adapters, and a client for it.
 */
final class TestServer implements AutoCloseable {

  static final String METRICS_TEXT = "# TYPE triggers_test counter\ntriggers_test 1\n";
  static final long MAX_BODY_BYTES = 256 * 1024;

  final MutableClock clock = new MutableClock();

  /** How many leases an event gets on a test server before it is dead. */
  static final int MAX_LEASES = 2;

  final InMemoryEventStore memory = new InMemoryEventStore();
  final SwitchableEventStore store = new SwitchableEventStore(memory);
  final SwitchableHealthCheck health = new SwitchableHealthCheck();
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final HttpServer server;
  final ApiClient client;

  private TestServer(Optional<String> adminToken) {
    this(
        new HttpSettings(
            "127.0.0.1",
            0,
            MAX_BODY_BYTES,
            adminToken,
            HttpSettings.DEFAULT_MAX_BODY_MEMORY_BYTES,
            HttpSettings.DEFAULT_BODY_READ_TIMEOUT));
  }

  private TestServer(HttpSettings settings) {
    this(settings, MetricsEndpoint.onApiPort());
  }

  private TestServer(HttpSettings settings, MetricsEndpoint metrics) {
    server =
        new HttpServer(
            settings,
            metrics,
            wire(
                clock,
                store,
                store,
                store,
                memory.attemptLog(),
                memory.leases(),
                store.endpoints(),
                health),
            meters,
            () -> METRICS_TEXT);
    server.start();
    client = new ApiClient(server.port());
  }

  static TestServer start() {
    return new TestServer(Optional.empty());
  }

  /** A server whose bodies share {@code bodyMemoryBytes} and must arrive within {@code timeout}. */
  static TestServer startWithBodyLimits(long bodyMemoryBytes, Duration bodyReadTimeout) {
    return new TestServer(
        new HttpSettings(
            "127.0.0.1", 0, MAX_BODY_BYTES, Optional.empty(), bodyMemoryBytes, bodyReadTimeout));
  }

  /** A server that serves {@code /metrics} as {@code metrics} says. */
  static TestServer startWithMetrics(MetricsEndpoint metrics) {
    return new TestServer(
        new HttpSettings(
            "127.0.0.1",
            0,
            MAX_BODY_BYTES,
            Optional.empty(),
            HttpSettings.DEFAULT_MAX_BODY_MEMORY_BYTES,
            HttpSettings.DEFAULT_BODY_READ_TIMEOUT),
        metrics);
  }

  /** A server that logs one access line per request. */
  static TestServer startWithAccessLog() {
    return new TestServer(
        new HttpSettings(
            "127.0.0.1",
            0,
            MAX_BODY_BYTES,
            Optional.empty(),
            HttpSettings.DEFAULT_MAX_BODY_MEMORY_BYTES,
            HttpSettings.DEFAULT_BODY_READ_TIMEOUT,
            true));
  }

  static TestServer startWithAdminToken(String adminToken) {
    return new TestServer(Optional.of(adminToken));
  }

  /** The use cases over in-memory adapters, for tests that need them without a running server. */
  static UseCases inMemoryUseCases() {
    InMemoryEventStore store = new InMemoryEventStore();
    return wire(
        new MutableClock(),
        store,
        store,
        store,
        store.attemptLog(),
        store.leases(),
        store.endpoints(),
        new SwitchableHealthCheck());
  }

  private static UseCases wire(
      MutableClock clock,
      EventLog events,
      Inbox inbox,
      DeliveryLedger ledger,
      AttemptLog attempts,
      InboxLeases leases,
      Endpoints endpoints,
      HealthCheck health) {
    InMemoryOrganizations organizations = new InMemoryOrganizations();
    SecureIdGenerator ids = new SecureIdGenerator(clock);
    InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue(clock, 10_000, Duration.ofSeconds(30));
    InMemoryDeduplicator deduplicator =
        new InMemoryDeduplicator(clock, Duration.ofDays(7), 100_000);
    return new UseCases(
        new GenerateApiKeyService(organizations, ids, clock),
        new RotateApiKeyService(organizations, ids, clock),
        new AuthenticateApiKeyService(organizations),
        new ConfigureWebhookService(
            endpoints, ledger, new WebhookTargetRules(new SystemHostResolver(), true), ids, clock),
        new ManageEndpointsService(
            endpoints, ledger, new WebhookTargetRules(new SystemHostResolver(), false), ids, clock),
        new IngestEventService(
            new LocalAdmission(new LocalRateLimiter(clock), deduplicator),
            deduplicator,
            events,
            queue,
            ids,
            task -> Thread.ofVirtual().start(task)),
        new GetEventService(events, ledger),
        new DeleteEventService(events),
        new ListInboxService(inbox),
        new AcknowledgeEventsService(inbox, clock),
        new RedeliverEventService(events, ledger, endpoints, queue, leases, clock, MAX_LEASES),
        new CheckReadinessService(List.of(health)),
        new LeaseEventsService(leases, ids, clock, MAX_LEASES),
        new AcknowledgeLeaseService(leases, clock),
        new ExtendLeaseService(leases, clock, MAX_LEASES),
        new ReleaseLeaseService(leases, clock, MAX_LEASES),
        new SeekInboxService(leases),
        new ListDeadEventsService(leases, clock, MAX_LEASES),
        new GetInboxStateService(leases, clock, MAX_LEASES),
        new ListAttemptsService(events, attempts),
        new RecoverEndpointService(endpoints, ledger, clock));
  }

  /** A new organization of the given tier, with its key. */
  Organization organization(String tier) {
    ApiClient.Response response =
        client.post(
            "/api/keys/generate",
            "{\"organization_name\":\"Acme " + tier + "\",\"tier\":\"" + tier + "\"}");
    if (response.status() != 201) {
      throw new IllegalStateException("could not create an organization: " + response);
    }
    JsonNode body = response.json();
    return new Organization(body.get("organization_id").asText(), body.get("api_key").asText());
  }

  /** An organization that will not run into its rate limit during a test. */
  Organization organization() {
    return organization("enterprise");
  }

  /** Posts an event and returns its id. */
  String ingest(Organization organization, String type) {
    ApiClient.Response response =
        client.post(
            "/api/events",
            "{\"type\":\"" + type + "\",\"payload\":{\"n\":1}}",
            organization.auth());
    if (response.status() != 202) {
      throw new IllegalStateException("could not ingest: " + response);
    }
    return response.json().get("id").asText();
  }

  @Override
  public void close() {
    server.close();
  }

  /** An organization as a client knows it. */
  record Organization(String id, String apiKey) {
    String[] auth() {
      return new String[] {"X-API-Key", apiKey};
    }
  }
}
