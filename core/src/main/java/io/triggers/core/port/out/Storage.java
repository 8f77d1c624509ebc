package io.triggers.core.port.out;

import java.util.List;
import java.util.Objects;

/**
 * The driven ports one durable store fills together, handed whole to whoever builds the use cases,
 * so that an adapter offers its storage in one value instead of port by port.
 *
 * @param events the event log
 * @param inbox the organizations' inboxes over the same events
 * @param leases the leases of those inboxes' events to pull consumers
 * @param deliveries the delivery state of the same events
 * @param attempts the log of the webhook attempts of the same deliveries
 * @param backlog the read-only delivery counts of the same events
 * @param endpoints the organizations' webhook endpoints the events are fanned out to
 * @param organizations organizations and their keys
 * @param healthChecks what tells whether the store can serve, empty when nothing can fail
 */
public record Storage(
    EventLog events,
    Inbox inbox,
    InboxLeases leases,
    DeliveryLedger deliveries,
    AttemptLog attempts,
    DeliveryBacklog backlog,
    Endpoints endpoints,
    Organizations organizations,
    List<HealthCheck> healthChecks) {

  /** Checks that every port is given. */
  public Storage {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(inbox, "inbox");
    Objects.requireNonNull(leases, "leases");
    Objects.requireNonNull(deliveries, "deliveries");
    Objects.requireNonNull(attempts, "attempts");
    Objects.requireNonNull(backlog, "backlog");
    Objects.requireNonNull(endpoints, "endpoints");
    Objects.requireNonNull(organizations, "organizations");
    healthChecks = List.copyOf(healthChecks);
  }
}
