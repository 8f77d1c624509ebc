package io.triggers.core.testing;

import io.triggers.core.memory.SecureIdGenerator;
import io.triggers.core.model.DedupId;
import io.triggers.core.model.Endpoint;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.Payload;
import io.triggers.core.model.Tier;
import io.triggers.core.port.in.IngestEvent;
import io.triggers.core.port.out.IdGenerator;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds organizations, events and commands for tests, stamped with a {@link MutableClock}'s time.
 */
public final class Fixtures {

  /** The type events get unless a test asks for another. */
  public static final EventType DEFAULT_TYPE = new EventType("order.created");

  private final MutableClock clock;
  private final IdGenerator ids;
  private final AtomicInteger counter = new AtomicInteger();

  public Fixtures(MutableClock clock) {
    this.clock = clock;
    this.ids = new SecureIdGenerator(clock);
  }

  /** The generator this fixture draws ids from; event ids increase from call to call. */
  public IdGenerator ids() {
    return ids;
  }

  public Organization organization() {
    return organization(Tier.FREE);
  }

  public Organization organization(Tier tier) {
    int n = counter.incrementAndGet();
    return new Organization(
        ids.newOrganizationId(), new OrganizationName("Org " + n), tier, clock.instant());
  }

  /** A new endpoint for every type, enabled, at {@code url}, created now. */
  public Endpoint endpoint(URI url) {
    return Endpoint.created(
        ids.newEndpointId(),
        url,
        ids.newSigningSecret(),
        List.of(),
        Optional.empty(),
        clock.instant());
  }

  /** A new endpoint for every type, enabled, at an example address, created now. */
  public Endpoint endpoint() {
    return endpoint(URI.create("https://receiver.example.com/hooks"));
  }

  public EventId eventId() {
    return ids.newEventId();
  }

  /** A new event of the default type without a dedup id, created now. */
  public Event event(OrganizationId organization) {
    return event(organization, DEFAULT_TYPE, Optional.empty());
  }

  public Event event(OrganizationId organization, EventType type) {
    return event(organization, type, Optional.empty());
  }

  public Event event(OrganizationId organization, String dedupId) {
    return event(organization, DEFAULT_TYPE, Optional.of(new DedupId(dedupId)));
  }

  /** A new event whose creation time is its id's timestamp, as the ingest service makes them. */
  public Event event(OrganizationId organization, EventType type, Optional<DedupId> dedupId) {
    EventId id = ids.newEventId();
    return new Event(id, organization, type, payload(), dedupId, id.timestamp());
  }

  /** A small JSON object, different on each call. */
  public Payload payload() {
    return new Payload("{\"n\":" + counter.incrementAndGet() + "}");
  }

  public IngestEvent.Command command() {
    return new IngestEvent.Command(DEFAULT_TYPE, payload(), Optional.empty());
  }

  public IngestEvent.Command command(String dedupId) {
    return new IngestEvent.Command(DEFAULT_TYPE, payload(), Optional.of(new DedupId(dedupId)));
  }
}
