package io.triggers.adapters.http;

import io.triggers.core.port.in.RecoverEndpoint;
import java.util.List;

/**
 * Recovering an endpoint: its deliveries that failed for good, of the events created since a time,
 * are tried again (or held while it is paused or disabled). Another organization's endpoint id is
 * unknown here: 404.
 */
final class EndpointRecoveryRoutes {

  private final RecoverEndpoint recoverEndpoint;

  EndpointRecoveryRoutes(RecoverEndpoint recoverEndpoint) {
    this.recoverEndpoint = recoverEndpoint;
  }

  List<Route> routes() {
    return List.of(
        Route.of("POST", "/api/endpoints/{id}/recover", Route.Access.ORGANIZATION, this::recover)
            .withJsonBody());
  }

  Reply recover(Call call) {
    return reply(
        recoverEndpoint.recover(
            call.organization().id(),
            call.endpointId(),
            Json.requiredTime(call.jsonObject(), "since")));
  }

  static Reply reply(RecoverEndpoint.Outcome outcome) {
    return switch (outcome) {
      case RecoverEndpoint.Outcome.Recovered recovered ->
          Reply.json(202, new RecoveryJson(recovered.requeued(), recovered.held()));
      case RecoverEndpoint.Outcome.NotFound notFound -> ErrorResponses.endpointNotFound();
      case RecoverEndpoint.Outcome.SinceInFuture future ->
          Reply.error(400, "invalid_request", "since must not be in the future")
              .withDetail("field", "since");
    };
  }

  /** How many failed deliveries were recovered, and whether they are held rather than due. */
  record RecoveryJson(int requeued, boolean held) {}
}
