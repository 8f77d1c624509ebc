package io.triggers.core.service;

import io.triggers.core.model.Endpoint;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Webhook;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.in.ConfigureWebhook;
import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.IdGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stores a checked webhook URL with a fresh signing secret as the organization's default endpoint;
 * removing it ends its deliveries not yet made as failed, as deleting any endpoint does.
 */
public final class ConfigureWebhookService implements ConfigureWebhook {

  private final Endpoints endpoints;
  private final DeliveryLedger ledger;
  private final WebhookTargetRules rules;
  private final IdGenerator ids;
  private final Clock clock;

  /**
   * Configures webhooks as endpoints of {@code endpoints}, whose deliveries {@code ledger} keeps,
   * with new secrets drawn from {@code ids}.
   */
  public ConfigureWebhookService(
      Endpoints endpoints,
      DeliveryLedger ledger,
      WebhookTargetRules rules,
      IdGenerator ids,
      Clock clock) {
    this.endpoints = endpoints;
    this.ledger = ledger;
    this.rules = rules;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public Outcome configure(OrganizationId organization, String url) {
    return switch (rules.check(url)) {
      case WebhookTargetRules.Verdict.Refused refused -> new Outcome.Refused(refused.reason());
      case WebhookTargetRules.Verdict.Allowed allowed -> {
        Instant now = clock.instant();
        Endpoint saved =
            endpoints.saveDefault(
                organization,
                Endpoint.created(
                    ids.newEndpointId(),
                    allowed.url(),
                    ids.newSigningSecret(),
                    List.of(),
                    Optional.empty(),
                    now));
        yield new Outcome.Configured(
            new Webhook(saved.url(), saved.signingSecret(), saved.updatedAt()));
      }
    };
  }

  @Override
  public void remove(OrganizationId organization) {
    endpoints
        .deleteDefault(organization)
        .ifPresent(id -> ledger.endAll(organization, id, ManageEndpointsService.DELETED));
  }
}
