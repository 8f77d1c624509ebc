package io.triggers.bootstrap.wiring;

import dagger.Module;
import dagger.Provides;
import io.triggers.adapters.http.webhook.HttpWebhookSender;
import io.triggers.core.delivery.DeliveryLimits;
import io.triggers.core.delivery.DeliverySweeper;
import io.triggers.core.delivery.WebhookDispatcher;
import io.triggers.core.policy.RetrySchedule;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.in.DeliverWebhook;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryMetrics;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.Organizations;
import io.triggers.core.port.out.WebhookSender;
import io.triggers.core.service.DeliverWebhookService;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;

/** Webhook delivery: the HTTP sender, one attempt per claim, and the background dispatcher. */
@Module
interface DeliveryModule {

  /** How long a claimed attempt is this node's alone: the send timeout with ample room. */
  Duration CLAIM_LEASE = Duration.ofSeconds(60);

  /** How overdue a delivery must be before the sweep queues it again. */
  Duration SWEEP_GRACE = Duration.ofSeconds(5);

  int SWEEP_PAGE = 500;

  int SWEEP_MAX = 10_000;

  @Provides
  @Singleton
  static WebhookSender webhookSender(Clock clock, Resources resources) {
    return resources.register(new HttpWebhookSender(HttpWebhookSender.DEFAULT_TIMEOUT, clock));
  }

  @Provides
  @Singleton
  static DeliverWebhook deliverWebhook(
      DeliveryLedger ledger,
      Organizations organizations,
      WebhookTargetRules rules,
      WebhookSender sender,
      Clock clock,
      DeliveryMetrics metrics) {
    return new DeliverWebhookService(
        ledger,
        organizations,
        rules,
        sender,
        RetrySchedule.standard(),
        // Thread-safe, and only failed attempts draw from it.
        new Random(),
        clock,
        CLAIM_LEASE,
        metrics);
  }

  @Provides
  @Singleton
  static WebhookDispatcher webhookDispatcher(
      DeliveryQueue queue, DeliverWebhook deliverWebhook, DeliveryLedger ledger, Clock clock) {
    return new WebhookDispatcher(
        queue,
        deliverWebhook,
        new DeliverySweeper(ledger, queue, clock, SWEEP_GRACE, SWEEP_PAGE, SWEEP_MAX),
        DeliveryLimits.standard());
  }
}
