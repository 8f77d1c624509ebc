package io.triggers.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.triggers.bootstrap.config.Settings;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.in.AcknowledgeEvents;
import io.triggers.core.port.in.AcknowledgeLease;
import io.triggers.core.port.in.AuthenticateApiKey;
import io.triggers.core.port.in.CheckReadiness;
import io.triggers.core.port.in.ConfigureWebhook;
import io.triggers.core.port.in.DeleteEvent;
import io.triggers.core.port.in.ExtendLease;
import io.triggers.core.port.in.GenerateApiKey;
import io.triggers.core.port.in.GetEvent;
import io.triggers.core.port.in.GetInboxState;
import io.triggers.core.port.in.IngestEvent;
import io.triggers.core.port.in.LeaseEvents;
import io.triggers.core.port.in.ListAttempts;
import io.triggers.core.port.in.ListDeadEvents;
import io.triggers.core.port.in.ListInbox;
import io.triggers.core.port.in.ManageEndpoints;
import io.triggers.core.port.in.PurgeExpiredEvents;
import io.triggers.core.port.in.RecoverEndpoint;
import io.triggers.core.port.in.RedeliverEvent;
import io.triggers.core.port.in.ReleaseLease;
import io.triggers.core.port.in.RotateApiKey;
import io.triggers.core.port.in.SeekInbox;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.AttemptLog;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.HealthCheck;
import io.triggers.core.port.out.HostResolver;
import io.triggers.core.port.out.IdGenerator;
import io.triggers.core.port.out.Inbox;
import io.triggers.core.port.out.InboxLeases;
import io.triggers.core.port.out.Organizations;
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
import io.triggers.core.service.PurgeExpiredEventsService;
import io.triggers.core.service.RecoverEndpointService;
import io.triggers.core.service.RedeliverEventService;
import io.triggers.core.service.ReleaseLeaseService;
import io.triggers.core.service.RotateApiKeyService;
import io.triggers.core.service.SeekInboxService;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/** The use cases, built on whichever driven ports the adapter modules provide. */
@Module
interface CoreModule {

  @Provides
  @Singleton
  static GenerateApiKey generateApiKey(Organizations organizations, IdGenerator ids, Clock clock) {
    return new GenerateApiKeyService(organizations, ids, clock);
  }

  @Provides
  @Singleton
  static RotateApiKey rotateApiKey(Organizations organizations, IdGenerator ids, Clock clock) {
    return new RotateApiKeyService(organizations, ids, clock);
  }

  @Provides
  @Singleton
  static AuthenticateApiKey authenticateApiKey(Organizations organizations) {
    return new AuthenticateApiKeyService(organizations);
  }

  @Provides
  @Singleton
  static WebhookTargetRules webhookTargetRules(HostResolver resolver, Settings settings) {
    return new WebhookTargetRules(resolver, settings.webhookAllowPrivate());
  }

  @Provides
  @Singleton
  static ConfigureWebhook configureWebhook(
      Endpoints endpoints,
      DeliveryLedger ledger,
      WebhookTargetRules rules,
      IdGenerator ids,
      Clock clock) {
    return new ConfigureWebhookService(endpoints, ledger, rules, ids, clock);
  }

  @Provides
  @Singleton
  static ManageEndpoints manageEndpoints(
      Endpoints endpoints,
      DeliveryLedger ledger,
      WebhookTargetRules rules,
      IdGenerator ids,
      Clock clock) {
    return new ManageEndpointsService(endpoints, ledger, rules, ids, clock);
  }

  @Provides
  @Singleton
  static RecoverEndpoint recoverEndpoint(Endpoints endpoints, DeliveryLedger ledger, Clock clock) {
    return new RecoverEndpointService(endpoints, ledger, clock);
  }

  @Provides
  @Singleton
  static IngestEvent ingestEvent(
      Admission admission,
      Deduplicator deduplicator,
      EventLog events,
      DeliveryQueue queue,
      IdGenerator ids) {
    // Ingest completes on Redis's event loop and the group commit's writers, which must not block:
    // its rare steps that may wait for a store run on virtual threads instead.
    ThreadFactory mayWait = Thread.ofVirtual().name("triggers-ingest-", 0).factory();
    return new IngestEventService(
        admission, deduplicator, events, queue, ids, task -> mayWait.newThread(task).start());
  }

  @Provides
  @Singleton
  static GetEvent getEvent(EventLog events, DeliveryLedger ledger) {
    return new GetEventService(events, ledger);
  }

  @Provides
  @Singleton
  static ListAttempts listAttempts(EventLog events, AttemptLog attempts) {
    return new ListAttemptsService(events, attempts);
  }

  @Provides
  @Singleton
  static DeleteEvent deleteEvent(EventLog events) {
    return new DeleteEventService(events);
  }

  @Provides
  @Singleton
  static ListInbox listInbox(Inbox inbox) {
    return new ListInboxService(inbox);
  }

  @Provides
  @Singleton
  static AcknowledgeEvents acknowledgeEvents(Inbox inbox, Clock clock) {
    return new AcknowledgeEventsService(inbox, clock);
  }

  @Provides
  @Singleton
  static RedeliverEvent redeliverEvent(
      EventLog events,
      DeliveryLedger ledger,
      Endpoints endpoints,
      DeliveryQueue queue,
      InboxLeases leases,
      Clock clock,
      Settings settings) {
    return new RedeliverEventService(
        events, ledger, endpoints, queue, leases, clock, settings.inboxMaxLeases());
  }

  @Provides
  @Singleton
  static LeaseEvents leaseEvents(
      InboxLeases leases, IdGenerator ids, Clock clock, Settings settings) {
    return new LeaseEventsService(leases, ids, clock, settings.inboxMaxLeases());
  }

  @Provides
  @Singleton
  static AcknowledgeLease acknowledgeLease(InboxLeases leases, Clock clock) {
    return new AcknowledgeLeaseService(leases, clock);
  }

  @Provides
  @Singleton
  static ExtendLease extendLease(InboxLeases leases, Clock clock, Settings settings) {
    return new ExtendLeaseService(leases, clock, settings.inboxMaxLeases());
  }

  @Provides
  @Singleton
  static ReleaseLease releaseLease(InboxLeases leases, Clock clock, Settings settings) {
    return new ReleaseLeaseService(leases, clock, settings.inboxMaxLeases());
  }

  @Provides
  @Singleton
  static SeekInbox seekInbox(InboxLeases leases) {
    return new SeekInboxService(leases);
  }

  @Provides
  @Singleton
  static ListDeadEvents listDeadEvents(InboxLeases leases, Clock clock, Settings settings) {
    return new ListDeadEventsService(leases, clock, settings.inboxMaxLeases());
  }

  @Provides
  @Singleton
  static GetInboxState getInboxState(InboxLeases leases, Clock clock, Settings settings) {
    return new GetInboxStateService(leases, clock, settings.inboxMaxLeases());
  }

  @Provides
  @Singleton
  static PurgeExpiredEvents purgeExpiredEvents(EventLog events, Clock clock, Settings settings) {
    return new PurgeExpiredEventsService(events, clock, settings.retention());
  }

  @Provides
  @Singleton
  static CheckReadiness checkReadiness(List<HealthCheck> checks) {
    return new CheckReadinessService(checks);
  }
}
