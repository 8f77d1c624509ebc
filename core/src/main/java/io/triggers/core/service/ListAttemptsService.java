package io.triggers.core.service;

import io.triggers.core.model.DeliveryAttempt;
import io.triggers.core.model.EventId;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.port.in.ListAttempts;
import io.triggers.core.port.out.AttemptLog;
import io.triggers.core.port.out.EventLog;
import java.util.List;
import java.util.Optional;

/** Finds the event in the event log, then reads its attempts from the attempt log. */
public final class ListAttemptsService implements ListAttempts {

  private final EventLog events;
  private final AttemptLog attempts;

  /** Lists the attempts in {@code attempts} of the events of {@code events}. */
  public ListAttemptsService(EventLog events, AttemptLog attempts) {
    this.events = events;
    this.attempts = attempts;
  }

  @Override
  public Optional<List<DeliveryAttempt>> list(OrganizationId organization, EventId id) {
    return events.find(organization, id).map(found -> attempts.attempts(organization, id));
  }
}
