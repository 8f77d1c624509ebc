package io.triggers.core.embed;

import io.triggers.core.delivery.DeliverySweeper;
import io.triggers.core.delivery.WebhookDispatcher;
import io.triggers.core.memory.CachingOrganizations;
import io.triggers.core.memory.InMemoryDeduplicator;
import io.triggers.core.memory.InMemoryDeliveryMetrics;
import io.triggers.core.memory.InMemoryDeliveryQueue;
import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.memory.InMemoryOrganizations;
import io.triggers.core.memory.LocalAdmission;
import io.triggers.core.memory.LocalOrganizationChanges;
import io.triggers.core.memory.LocalRateLimiter;
import io.triggers.core.memory.SecureIdGenerator;
import io.triggers.core.memory.SystemHostResolver;
import io.triggers.core.policy.EndpointHealth;
import io.triggers.core.policy.RetrySchedule;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.in.AcknowledgeEvents;
import io.triggers.core.port.in.AuthenticateApiKey;
import io.triggers.core.port.in.CheckReadiness;
import io.triggers.core.port.in.ConfigureWebhook;
import io.triggers.core.port.in.DeleteEvent;
import io.triggers.core.port.in.GenerateApiKey;
import io.triggers.core.port.in.GetEvent;
import io.triggers.core.port.in.IngestEvent;
import io.triggers.core.port.in.ListAttempts;
import io.triggers.core.port.in.ListInbox;
import io.triggers.core.port.in.ManageEndpoints;
import io.triggers.core.port.in.PurgeExpiredEvents;
import io.triggers.core.port.in.RecoverEndpoint;
import io.triggers.core.port.in.RedeliverEvent;
import io.triggers.core.port.in.RotateApiKey;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.HealthCheck;
import io.triggers.core.port.out.IdGenerator;
import io.triggers.core.port.out.Organizations;
import io.triggers.core.port.out.Storage;
import io.triggers.core.service.AcknowledgeEventsService;
import io.triggers.core.service.AuthenticateApiKeyService;
import io.triggers.core.service.CheckReadinessService;
import io.triggers.core.service.ConfigureWebhookService;
import io.triggers.core.service.DeleteEventService;
import io.triggers.core.service.DeliverWebhookService;
import io.triggers.core.service.GenerateApiKeyService;
import io.triggers.core.service.GetEventService;
import io.triggers.core.service.IngestEventService;
import io.triggers.core.service.ListAttemptsService;
import io.triggers.core.service.ListInboxService;
import io.triggers.core.service.ManageEndpointsService;
import io.triggers.core.service.PurgeExpiredEventsService;
import io.triggers.core.service.RecoverEndpointService;
import io.triggers.core.service.RedeliverEventService;
import io.triggers.core.service.RotateApiKeyService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Triggers inside a host's own JVM: the use cases, built on the driven ports the host supplies and
 * in-memory ones for the rest, and the background work (webhook delivery, retention) that {@link
 * #start} runs until {@link #close}.
 *
 * <p>{@code Triggers.inMemory()} is everything in this process, for tests; {@code
 * Triggers.builder().storage(database.storage()).closeWith(database).build()} keeps events in a
 * durable store. The use cases are thread-safe; start and close may be called from any thread.
 *
 * <p>It is longer than most classes because it has one accessor for each use case, so that an
 * embedder finds them all in one place.
 */
public final class Triggers implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Triggers.class.getName());

  private final GenerateApiKey generateApiKey;
  private final RotateApiKey rotateApiKey;
  private final AuthenticateApiKey authenticateApiKey;
  private final ConfigureWebhook configureWebhook;
  private final ManageEndpoints manageEndpoints;
  private final IngestEvent ingestEvent;
  private final GetEvent getEvent;
  private final DeleteEvent deleteEvent;
  private final ListInbox listInbox;
  private final AcknowledgeEvents acknowledgeEvents;
  private final RedeliverEvent redeliverEvent;
  private final ListAttempts listAttempts;
  private final RecoverEndpoint recoverEndpoint;
  private final InboxLeaseUseCases leases;
  private final PurgeExpiredEvents purgeExpiredEvents;
  private final CheckReadiness checkReadiness;
  private final Optional<WebhookDispatcher> dispatcher;
  private final BackgroundWork background;

  Triggers(TriggersBuilder builder) {
    Clock clock = builder.clock;
    Storage storage = Optional.ofNullable(builder.storage).orElseGet(Triggers::inMemoryStorage);
    Organizations organizations = organizations(builder, storage);
    IdGenerator ids =
        Optional.ofNullable(builder.ids).orElseGet(() -> new SecureIdGenerator(clock));
    DeliveryQueue queue =
        Optional.ofNullable(builder.deliveryQueue)
            .orElseGet(
                () ->
                    new InMemoryDeliveryQueue(
                        clock,
                        TriggersDefaults.DELIVERY_QUEUE_CAPACITY,
                        TriggersDefaults.DELIVERY_VISIBILITY_TIMEOUT));
    WebhookTargetRules rules =
        new WebhookTargetRules(
            Optional.ofNullable(builder.hostResolver).orElseGet(SystemHostResolver::new),
            builder.webhookAllowPrivate);
    this.generateApiKey = new GenerateApiKeyService(organizations, ids, clock);
    this.rotateApiKey = new RotateApiKeyService(organizations, ids, clock);
    this.authenticateApiKey = new AuthenticateApiKeyService(organizations);
    this.configureWebhook =
        new ConfigureWebhookService(storage.endpoints(), storage.deliveries(), rules, ids, clock);
    this.manageEndpoints =
        new ManageEndpointsService(storage.endpoints(), storage.deliveries(), rules, ids, clock);
    Deduplicator deduplicator =
        Optional.ofNullable(builder.deduplicator)
            .orElseGet(
                () ->
                    new InMemoryDeduplicator(
                        clock,
                        TriggersDefaults.dedupClaimTtl(builder.retention),
                        TriggersDefaults.DEDUP_CACHE_ENTRIES));
    this.ingestEvent =
        new IngestEventService(
            new LocalAdmission(
                Optional.ofNullable(builder.rateLimiter)
                    .orElseGet(() -> new LocalRateLimiter(clock)),
                deduplicator),
            deduplicator,
            storage.events(),
            queue,
            ids);
    this.getEvent = new GetEventService(storage.events(), storage.deliveries());
    this.deleteEvent = new DeleteEventService(storage.events());
    this.listInbox = new ListInboxService(storage.inbox());
    this.acknowledgeEvents = new AcknowledgeEventsService(storage.inbox(), clock);
    this.redeliverEvent =
        new RedeliverEventService(
            storage.events(),
            storage.deliveries(),
            storage.endpoints(),
            queue,
            storage.leases(),
            clock,
            builder.inboxMaxLeases);
    this.listAttempts = new ListAttemptsService(storage.events(), storage.attempts());
    this.recoverEndpoint =
        new RecoverEndpointService(storage.endpoints(), storage.deliveries(), clock);
    this.leases = InboxLeaseUseCases.on(storage.leases(), ids, clock, builder.inboxMaxLeases);
    this.purgeExpiredEvents =
        new PurgeExpiredEventsService(storage.events(), clock, builder.retention);
    List<HealthCheck> checks = new ArrayList<>(storage.healthChecks());
    checks.addAll(builder.healthChecks);
    this.checkReadiness = new CheckReadinessService(checks);
    this.dispatcher =
        Optional.ofNullable(builder.webhookSender)
            .map(
                sender ->
                    new WebhookDispatcher(
                        queue,
                        new DeliverWebhookService(
                            storage.deliveries(),
                            rules,
                            sender,
                            RetrySchedule.standard(),
                            // Thread-safe, and only failed attempts draw from it.
                            new Random(),
                            clock,
                            TriggersDefaults.claimLease(sender.timeout()),
                            Optional.ofNullable(builder.deliveryMetrics)
                                .orElseGet(InMemoryDeliveryMetrics::new),
                            new EndpointHealth(
                                storage.endpoints(),
                                storage.events(),
                                ids,
                                clock,
                                builder.endpointDisableAfter)),
                        new DeliverySweeper(
                            storage.deliveries(),
                            queue,
                            clock,
                            TriggersDefaults.SWEEP_GRACE,
                            TriggersDefaults.SWEEP_PAGE,
                            TriggersDefaults.SWEEP_MAX),
                        builder.deliveryLimits,
                        builder.endpointBackoff,
                        clock));
    this.background =
        new BackgroundWork(
            dispatcher,
            Optional.ofNullable(builder.webhookSender)
                .map(sender -> sender.timeout())
                .orElse(TriggersDefaults.STOP_GRACE),
            purgeExpiredEvents,
            builder.retentionPeriod,
            builder.resources,
            LOG);
  }

  /** A builder whose defaults are all in this process's memory. */
  public static TriggersBuilder builder() {
    return new TriggersBuilder();
  }

  /** Triggers entirely in this process's memory, for tests and trials: nothing survives it. */
  public static Triggers inMemory() {
    return builder().build();
  }

  private static Storage inMemoryStorage() {
    InMemoryEventStore store = new InMemoryEventStore();
    return new Storage(
        store,
        store,
        store.leases(),
        store,
        store.attemptLog(),
        store,
        store.endpoints(),
        new InMemoryOrganizations(),
        List.of());
  }

  /** The host's own organizations as given; a durable store's behind the server's cache. */
  private static Organizations organizations(TriggersBuilder builder, Storage storage) {
    if (builder.organizations != null) {
      return builder.organizations;
    }
    if (builder.storage == null) {
      return storage.organizations();
    }
    return new CachingOrganizations(
        storage.organizations(),
        Optional.ofNullable(builder.organizationChanges).orElseGet(LocalOrganizationChanges::new),
        builder.clock,
        TriggersDefaults.ORGANIZATION_CACHE_TTL,
        TriggersDefaults.ORGANIZATION_CACHE_ENTRIES);
  }

  /**
   * Starts webhook delivery, when a sender was given, and the periodic deletion of expired events.
   *
   * @throws IllegalStateException if already started or closed
   */
  public void start() {
    background.start();
  }

  /**
   * Stops delivery, letting the requests in flight finish within the sender's timeout, stops
   * retention, then closes the resources handed to the builder. Safe to repeat.
   */
  @Override
  public void close() {
    background.close();
  }

  /** Creates an organization and its first API key. */
  public GenerateApiKey generateApiKey() {
    return generateApiKey;
  }

  /** Replaces an organization's API key. */
  public RotateApiKey rotateApiKey() {
    return rotateApiKey;
  }

  /** Finds the organization an API key belongs to. */
  public AuthenticateApiKey authenticateApiKey() {
    return authenticateApiKey;
  }

  /** Sets, shows or removes an organization's default webhook endpoint. */
  public ConfigureWebhook configureWebhook() {
    return configureWebhook;
  }

  /** Creates, lists, changes and deletes an organization's webhook endpoints. */
  public ManageEndpoints manageEndpoints() {
    return manageEndpoints;
  }

  /** Rate-limits, deduplicates and stores events, and queues their webhook deliveries. */
  public IngestEvent ingestEvent() {
    return ingestEvent;
  }

  /** Reads one event of an organization with its delivery state. */
  public GetEvent getEvent() {
    return getEvent;
  }

  /** Deletes one event of an organization. */
  public DeleteEvent deleteEvent() {
    return deleteEvent;
  }

  /** Pages through an organization's inbox. */
  public ListInbox listInbox() {
    return listInbox;
  }

  /** Acknowledges events in an organization's inbox. */
  public AcknowledgeEvents acknowledgeEvents() {
    return acknowledgeEvents;
  }

  /** Delivers an event to its organization's webhook again, and revives it if it is dead. */
  public RedeliverEvent redeliverEvent() {
    return redeliverEvent;
  }

  /** Lists the webhook attempts of an organization's event. */
  public ListAttempts listAttempts() {
    return listAttempts;
  }

  /** Tries again an endpoint's deliveries that failed for good, of the events since a time. */
  public RecoverEndpoint recoverEndpoint() {
    return recoverEndpoint;
  }

  /**
   * Leases inbox events to concurrent pull consumers, with acks, extensions, releases and seeks.
   */
  public InboxLeaseUseCases leases() {
    return leases;
  }

  /** Deletes the events older than the retention; {@link #start} runs it periodically. */
  public PurgeExpiredEvents purgeExpiredEvents() {
    return purgeExpiredEvents;
  }

  /** Tells whether the storage and the host's added checks can serve. */
  public CheckReadiness checkReadiness() {
    return checkReadiness;
  }
}
