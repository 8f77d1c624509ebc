package io.triggers.core.embed;

import io.triggers.core.port.in.AcknowledgeLease;
import io.triggers.core.port.in.ExtendLease;
import io.triggers.core.port.in.GetInboxState;
import io.triggers.core.port.in.LeaseEvents;
import io.triggers.core.port.in.ListDeadEvents;
import io.triggers.core.port.in.ReleaseLease;
import io.triggers.core.port.in.SeekInbox;
import io.triggers.core.port.out.IdGenerator;
import io.triggers.core.port.out.InboxLeases;
import io.triggers.core.service.AcknowledgeLeaseService;
import io.triggers.core.service.ExtendLeaseService;
import io.triggers.core.service.GetInboxStateService;
import io.triggers.core.service.LeaseEventsService;
import io.triggers.core.service.ListDeadEventsService;
import io.triggers.core.service.ReleaseLeaseService;
import io.triggers.core.service.SeekInboxService;
import java.time.Clock;

/**
 * The use cases of pull consumers that lease inbox events: each event to one consumer at a time,
 * back when its lease runs out, and dead once it has come back too often.
 *
 * @param lease leases the oldest leasable events
 * @param acknowledge acknowledges events through their lease
 * @param extend keeps a lease's events longer
 * @param release gives a lease's events back, at once or after a delay
 * @param seek makes the events created since a time leasable again
 * @param listDead lists the events set aside as dead
 * @param inboxState tells where one event stands in the inbox
 */
public record InboxLeaseUseCases(
    LeaseEvents lease,
    AcknowledgeLease acknowledge,
    ExtendLease extend,
    ReleaseLease release,
    SeekInbox seek,
    ListDeadEvents listDead,
    GetInboxState inboxState) {

  static InboxLeaseUseCases on(InboxLeases leases, IdGenerator ids, Clock clock, int maxLeases) {
    return new InboxLeaseUseCases(
        new LeaseEventsService(leases, ids, clock, maxLeases),
        new AcknowledgeLeaseService(leases, clock),
        new ExtendLeaseService(leases, clock, maxLeases),
        new ReleaseLeaseService(leases, clock, maxLeases),
        new SeekInboxService(leases),
        new ListDeadEventsService(leases, clock, maxLeases),
        new GetInboxStateService(leases, clock, maxLeases));
  }
}
