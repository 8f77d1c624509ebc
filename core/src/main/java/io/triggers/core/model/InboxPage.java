package io.triggers.core.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One page of an inbox listing, and where the next page starts if there is one. */
public record InboxPage(List<InboxEvent> events, Optional<InboxCursor> next) {

  /** Keeps an unmodifiable copy of the events. */
  public InboxPage {
    events = List.copyOf(events);
    Objects.requireNonNull(next, "next");
  }
}
