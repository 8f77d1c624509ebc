package io.triggers.adapters.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.Tier;
import io.triggers.core.port.in.GenerateApiKey;
import io.triggers.core.port.in.RotateApiKey;
import java.util.List;

/**
 * The routes of organizations and their API keys: create one with its first key, show it, rotate
 * the key.
 */
final class KeyRoutes {

  private final GenerateApiKey generateApiKey;
  private final RotateApiKey rotateApiKey;

  KeyRoutes(GenerateApiKey generateApiKey, RotateApiKey rotateApiKey) {
    this.generateApiKey = generateApiKey;
    this.rotateApiKey = rotateApiKey;
  }

  List<Route> routes() {
    return List.of(
        Route.of("POST", "/api/keys/generate", Route.Access.ADMIN, this::generate).withJsonBody(),
        Route.of("GET", "/api/keys", Route.Access.ORGANIZATION, this::show),
        Route.of("POST", "/api/keys/rotate", Route.Access.ORGANIZATION, this::rotate));
  }

  Reply generate(Call call) {
    ObjectNode body = call.jsonObject();
    OrganizationName name = new OrganizationName(Json.requiredText(body, "organization_name"));
    Tier tier = Json.optionalText(body, "tier").map(Tier::parse).orElse(Tier.FREE);
    GenerateApiKey.IssuedKey issued =
        generateApiKey.generate(new GenerateApiKey.Command(name, tier));
    Organization organization = issued.organization();
    return Reply.json(
        201,
        new IssuedKeyJson(
            organization.id().toString(),
            organization.name().value(),
            issued.apiKey().value(),
            organization.tier().wireName(),
            organization.tier().eventsPerMinute(),
            organization.createdAt().toString()));
  }

  Reply show(Call call) {
    Organization organization = call.organization();
    return Reply.json(
        200,
        new OrganizationJson(
            organization.id().toString(),
            organization.name().value(),
            organization.tier().wireName(),
            organization.tier().eventsPerMinute(),
            organization.createdAt().toString()));
  }

  Reply rotate(Call call) {
    RotateApiKey.RotatedKey rotated = rotateApiKey.rotate(call.organization().id());
    return Reply.json(
        200,
        new RotatedKeyJson(
            rotated.organization().toString(),
            rotated.apiKey().value(),
            rotated.rotatedAt().toString()));
  }

  record IssuedKeyJson(
      String organizationId,
      String organizationName,
      String apiKey,
      String tier,
      int rateLimitPerMinute,
      String createdAt) {}

  record OrganizationJson(
      String organizationId,
      String organizationName,
      String tier,
      int rateLimitPerMinute,
      String createdAt) {}

  record RotatedKeyJson(String organizationId, String apiKey, String rotatedAt) {}
}
