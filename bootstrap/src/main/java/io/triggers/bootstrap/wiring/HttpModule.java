package io.triggers.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.triggers.adapters.http.HttpServer;
import io.triggers.adapters.http.HttpSettings;
import io.triggers.adapters.http.MetricsEndpoint;
import io.triggers.adapters.http.UseCases;
import io.triggers.bootstrap.config.Settings;
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
import io.triggers.core.port.in.RecoverEndpoint;
import io.triggers.core.port.in.RedeliverEvent;
import io.triggers.core.port.in.ReleaseLease;
import io.triggers.core.port.in.RotateApiKey;
import io.triggers.core.port.in.SeekInbox;
import jakarta.inject.Singleton;

/** The Undertow server over the use cases. */
@Module
interface HttpModule {

  @Provides
  @Singleton
  static UseCases useCases(
      GenerateApiKey generateApiKey,
      RotateApiKey rotateApiKey,
      AuthenticateApiKey authenticateApiKey,
      ConfigureWebhook configureWebhook,
      ManageEndpoints manageEndpoints,
      IngestEvent ingestEvent,
      GetEvent getEvent,
      DeleteEvent deleteEvent,
      ListInbox listInbox,
      AcknowledgeEvents acknowledgeEvents,
      RedeliverEvent redeliverEvent,
      CheckReadiness checkReadiness,
      LeaseEvents leaseEvents,
      AcknowledgeLease acknowledgeLease,
      ExtendLease extendLease,
      ReleaseLease releaseLease,
      SeekInbox seekInbox,
      ListDeadEvents listDeadEvents,
      GetInboxState getInboxState,
      ListAttempts listAttempts,
      RecoverEndpoint recoverEndpoint) {
    return new UseCases(
        generateApiKey,
        rotateApiKey,
        authenticateApiKey,
        configureWebhook,
        manageEndpoints,
        ingestEvent,
        getEvent,
        deleteEvent,
        listInbox,
        acknowledgeEvents,
        redeliverEvent,
        checkReadiness,
        leaseEvents,
        acknowledgeLease,
        extendLease,
        releaseLease,
        seekInbox,
        listDeadEvents,
        getInboxState,
        listAttempts,
        recoverEndpoint);
  }

  @Provides
  @Singleton
  static HttpServer httpServer(Settings settings, UseCases useCases, Meters meters) {
    HttpSettings http =
        new HttpSettings(
            settings.host(),
            settings.port(),
            settings.maxBodyBytes(),
            settings.adminToken(),
            settings.maxBodyMemoryBytes(),
            settings.bodyReadTimeout(),
            settings.logs().accessLog());
    PrometheusMeterRegistry registry = meters.registry();
    return new HttpServer(
        http,
        new MetricsEndpoint(settings.metricsPort(), settings.metricsToken()),
        useCases,
        registry,
        registry::scrape);
  }
}
