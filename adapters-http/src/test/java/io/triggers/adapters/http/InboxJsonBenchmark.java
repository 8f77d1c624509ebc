package io.triggers.adapters.http;

import io.triggers.core.model.DedupId;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.EventId;
import io.triggers.core.model.EventType;
import io.triggers.core.model.InboxCursor;
import io.triggers.core.model.InboxEvent;
import io.triggers.core.model.InboxPage;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.Payload;
import io.triggers.core.model.SortOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The JSON work of one {@code GET /api/inbox?limit=100}: the page the store returned, as the
 * inbox's reply and its body serialised the way {@link ReplyWriter} does. Events as bench/inbox.sh
 * seeds them: the ingest benchmark's order as payload, every other one with a dedup id.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InboxJsonBenchmark {

  static final int PAGE_SIZE = 100;

  private InboxPage page;

  @Setup
  public void setUp() {
    OrganizationId organization = OrganizationId.parse("d17b6a45-0d5b-4955-ae87-dfde07ebe84a");
    List<InboxEvent> events = new ArrayList<>(PAGE_SIZE);
    for (int i = 0; i < PAGE_SIZE; i++) {
      EventId id = EventId.parse(String.format("01a21a44-%04x-7000-8708-d5b6f62f8b4a", 0x535a - i));
      Optional<DedupId> dedupId =
          i % 2 == 0 ? Optional.of(new DedupId("seed-" + i)) : Optional.empty();
      Event event =
          new Event(
              id,
              organization,
              new EventType("order.created"),
              new Payload(IngestJsonBenchmark.PAYLOAD),
              dedupId,
              id.timestamp());
      events.add(new InboxEvent(event, DeliveryStatus.PENDING, 0));
    }
    page = new InboxPage(events, Optional.of(InboxCursor.after(events.getLast().event())));
  }

  /** The reply to a full page, with its body as {@link ReplyWriter} serialises it. */
  @Benchmark
  public byte[] encodeInboxPage() {
    Reply reply = InboxRoutes.reply(page, SortOrder.NEWEST_FIRST);
    if (!(reply.body() instanceof Reply.JsonBody json)) {
      throw new IllegalStateException("an inbox page is answered with a JSON body");
    }
    return Json.write(json.value());
  }
}
