package io.triggers.core.service;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Webhook;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.in.ConfigureWebhook;
import io.triggers.core.port.out.IdGenerator;
import io.triggers.core.port.out.Organizations;
import java.time.Clock;

/** Stores a checked webhook URL with a fresh signing secret. */
public final class ConfigureWebhookService implements ConfigureWebhook {

  private final Organizations organizations;
  private final WebhookTargetRules rules;
  private final IdGenerator ids;
  private final Clock clock;

  /** Creates the use case on the driven ports it needs. */
  public ConfigureWebhookService(
      Organizations organizations, WebhookTargetRules rules, IdGenerator ids, Clock clock) {
    this.organizations = organizations;
    this.rules = rules;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public Outcome configure(OrganizationId organization, String url) {
    return switch (rules.check(url)) {
      case WebhookTargetRules.Verdict.Refused refused -> new Outcome.Refused(refused.reason());
      case WebhookTargetRules.Verdict.Allowed allowed -> {
        Webhook webhook = new Webhook(allowed.url(), ids.newSigningSecret(), clock.instant());
        organizations.saveWebhook(organization, webhook);
        yield new Outcome.Configured(webhook);
      }
    };
  }

  @Override
  public void remove(OrganizationId organization) {
    organizations.deleteWebhook(organization);
  }
}
