package io.triggers.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.triggers.adapters.http.webhook.HttpWebhookSender;
import io.triggers.bootstrap.config.Settings;
import io.triggers.core.delivery.DeliveryLimits;
import io.triggers.core.delivery.DeliverySweeper;
import io.triggers.core.delivery.EndpointBackoff;
import io.triggers.core.delivery.WebhookDispatcher;
import io.triggers.core.embed.TriggersDefaults;
import io.triggers.core.policy.EndpointHealth;
import io.triggers.core.policy.RetrySchedule;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.in.DeliverWebhook;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryMetrics;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.EventLog;
import io.triggers.core.port.out.IdGenerator;
import io.triggers.core.port.out.WebhookSender;
import io.triggers.core.service.DeliverWebhookService;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/** Webhook delivery: the HTTP sender, one attempt per claim, and the background dispatcher. */
@Module
interface DeliveryModule {

  @Provides
  @Singleton
  static WebhookSender webhookSender(
      Settings settings, Clock clock, WebhookTargetRules rules, Resources resources) {
    return resources.register(
        new HttpWebhookSender(settings.webhookTimeout(), clock, rules::refusal));
  }

  @Provides
  @Singleton
  static DeliverWebhook deliverWebhook(
      DeliveryLedger ledger,
      Endpoints endpoints,
      WebhookTargetRules rules,
      WebhookSender sender,
      Clock clock,
      DeliveryMetrics metrics,
      EventLog events,
      IdGenerator ids,
      Settings settings) {
    return new DeliverWebhookService(
        ledger,
        rules,
        sender,
        RetrySchedule.standard(),
        // Thread-safe, and only failed attempts draw from it.
        new Random(),
        clock,
        claimLease(sender.timeout()),
        metrics,
        new EndpointHealth(endpoints, events, ids, clock, settings.endpointDisableAfter()));
  }

  /** How long a claimed attempt is this node's alone: longer than its send may take. */
  static Duration claimLease(Duration sendTimeout) {
    return TriggersDefaults.claimLease(sendTimeout);
  }

  @Provides
  @Singleton
  static WebhookDispatcher webhookDispatcher(
      DeliveryQueue queue,
      DeliverWebhook deliverWebhook,
      DeliveryLedger ledger,
      Clock clock,
      Settings settings) {
    return new WebhookDispatcher(
        queue,
        deliverWebhook,
        new DeliverySweeper(
            ledger,
            queue,
            clock,
            TriggersDefaults.SWEEP_GRACE,
            TriggersDefaults.SWEEP_PAGE,
            TriggersDefaults.SWEEP_MAX),
        deliveryLimits(settings),
        endpointBackoff(settings),
        clock);
  }

  /** The standard back-off, after as many failures as the settings say; 0 never backs off. */
  static EndpointBackoff endpointBackoff(Settings settings) {
    EndpointBackoff standard = EndpointBackoff.standard();
    int after = settings.endpointBackoffAfter();
    return after == 0
        ? EndpointBackoff.never()
        : new EndpointBackoff(after, standard.firstCooldown(), standard.longestCooldown());
  }

  /** The standard limits, with the concurrency the settings ask for. */
  static DeliveryLimits deliveryLimits(Settings settings) {
    DeliveryLimits standard = DeliveryLimits.standard();
    return new DeliveryLimits(
        settings.deliveryConcurrencyPerOrganization(),
        settings.deliveryConcurrency(),
        standard.backlogPerOrganization(),
        standard.backlog(),
        standard.takeBatch(),
        standard.takeWait(),
        standard.sweepInterval(),
        standard.failurePause());
  }
}
