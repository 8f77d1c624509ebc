package io.triggers.adapters.http;

import io.triggers.core.model.DeliveryAttempt;
import io.triggers.core.port.in.ListAttempts;
import java.util.List;

/**
 * The log of an event's webhook attempts. Another organization's event is unknown here: 404. The
 * errors shown are the sender's own descriptions (a status, a refused connection, a timeout), never
 * the payload or the endpoint's path and query.
 */
final class AttemptRoutes {

  private final ListAttempts listAttempts;

  AttemptRoutes(ListAttempts listAttempts) {
    this.listAttempts = listAttempts;
  }

  List<Route> routes() {
    return List.of(
        Route.of("GET", "/api/events/{id}/attempts", Route.Access.ORGANIZATION, this::list));
  }

  Reply list(Call call) {
    return listAttempts
        .list(call.organization().id(), call.eventId())
        .map(
            attempts ->
                Reply.json(
                    200, new AttemptListJson(attempts.stream().map(AttemptJson::of).toList())))
        .orElseGet(ErrorResponses::eventNotFound);
  }

  record AttemptListJson(List<AttemptJson> attempts) {}

  /** One attempt; {@code statusCode} and {@code error} are null when there was none. */
  record AttemptJson(
      String endpointId,
      String attemptedAt,
      String outcome,
      Integer statusCode,
      String error,
      long durationMs) {

    static AttemptJson of(DeliveryAttempt attempt) {
      return new AttemptJson(
          attempt.endpointId().toString(),
          attempt.attemptedAt().toString(),
          attempt.outcome().wireName(),
          attempt.statusCode().orElse(null),
          attempt.error().orElse(null),
          attempt.duration().toMillis());
    }
  }
}
