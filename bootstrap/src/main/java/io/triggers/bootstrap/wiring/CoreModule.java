package io.triggers.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.triggers.bootstrap.config.Settings;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.in.AcknowledgeEvents;
import io.triggers.core.port.in.AuthenticateApiKey;
import io.triggers.core.port.in.CheckReadiness;
import io.triggers.core.port.in.ConfigureWebhook;
import io.triggers.core.port.in.DeleteEvent;
import io.triggers.core.port.in.GenerateApiKey;
import io.triggers.core.port.in.GetEvent;
import io.triggers.core.port.in.IngestEvent;
import io.triggers.core.port.in.ListInbox;
import io.triggers.core.port.in.PurgeExpiredEvents;
import io.triggers.core.port.in.RedeliverEvent;
import io.triggers.core.port.in.RotateApiKey;
import io.triggers.core.port.out.Admission;
import io.triggers.core.port.out.Deduplicator;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.HealthCheck;
import io.triggers.core.port.out.HostResolver;
import io.triggers.core.port.out.IdGenerator;
import io.triggers.core.port.out.Inbox;
import io.triggers.core.port.out.Organizations;
import io.triggers.core.service.AcknowledgeEventsService;
import io.triggers.core.service.AuthenticateApiKeyService;
import io.triggers.core.service.CheckReadinessService;
import io.triggers.core.service.ConfigureWebhookService;
import io.triggers.core.service.DeleteEventService;
import io.triggers.core.service.GenerateApiKeyService;
import io.triggers.core.service.GetEventService;
import io.triggers.core.service.IngestEventService;
import io.triggers.core.service.ListInboxService;
import io.triggers.core.service.PurgeExpiredEventsService;
import io.triggers.core.service.RedeliverEventService;
import io.triggers.core.service.RotateApiKeyService;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;

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
      Organizations organizations, WebhookTargetRules rules, IdGenerator ids, Clock clock) {
    return new ConfigureWebhookService(organizations, rules, ids, clock);
  }

  @Provides
  @Singleton
  static IngestEvent ingestEvent(
      Admission admission,
      Deduplicator deduplicator,
      EventLog events,
      Organizations organizations,
      DeliveryQueue queue,
      IdGenerator ids) {
    return new IngestEventService(admission, deduplicator, events, organizations, queue, ids);
  }

  @Provides
  @Singleton
  static GetEvent getEvent(EventLog events) {
    return new GetEventService(events);
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
      Organizations organizations,
      DeliveryQueue queue,
      Clock clock) {
    return new RedeliverEventService(events, ledger, organizations, queue, clock);
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
