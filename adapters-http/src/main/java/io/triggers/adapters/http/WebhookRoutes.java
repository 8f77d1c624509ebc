package io.triggers.adapters.http;

import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Webhook;
import io.triggers.core.port.in.ConfigureWebhook;
import java.util.List;

/** The routes of an organization's webhook: set it (with a new signing secret) or remove it. */
final class WebhookRoutes {

  private final ConfigureWebhook configureWebhook;

  WebhookRoutes(ConfigureWebhook configureWebhook) {
    this.configureWebhook = configureWebhook;
  }

  List<Route> routes() {
    return List.of(
        Route.of("POST", "/api/webhook/config", Route.Access.ORGANIZATION, this::configure)
            .withJsonBody(),
        Route.of("DELETE", "/api/webhook/config", Route.Access.ORGANIZATION, this::remove));
  }

  Reply configure(Call call) {
    String url = Json.requiredText(call.jsonObject(), "webhook_url");
    OrganizationId organization = call.organization().id();
    return reply(organization, configureWebhook.configure(organization, url));
  }

  Reply remove(Call call) {
    configureWebhook.remove(call.organization().id());
    return Reply.noContent();
  }

  static Reply reply(OrganizationId organization, ConfigureWebhook.Outcome outcome) {
    return switch (outcome) {
      case ConfigureWebhook.Outcome.Configured configured -> {
        Webhook webhook = configured.webhook();
        yield Reply.json(
            200,
            new WebhookJson(
                organization.toString(),
                webhook.url().toString(),
                webhook.signingSecret().value(),
                webhook.updatedAt().toString()));
      }
      case ConfigureWebhook.Outcome.Refused refused ->
          Reply.error(400, "invalid_webhook_url", refused.reason())
              .withDetail("field", "webhook_url");
    };
  }

  record WebhookJson(
      String organizationId, String webhookUrl, String signingSecret, String updatedAt) {}
}
