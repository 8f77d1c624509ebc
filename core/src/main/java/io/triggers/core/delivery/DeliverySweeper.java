package io.triggers.core.delivery;

import io.triggers.core.port.out.DeliveryLedger;
import io.triggers.core.port.out.DeliveryQueue;
import io.triggers.core.port.out.DeliveryTask;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Refills the delivery queue from the delivery ledger, the record of every scheduled delivery: what
 * a full queue dropped, a flushed Redis forgot or a killed node was holding is found here again.
 *
 * <p>A sweep queues deliveries overdue by more than {@code grace} that the queue has already passed
 * and that are not in hand. A queue hands tasks out in about the order they fell due, so a delivery
 * due well before the last task it handed out is no longer waiting in it; one due later may still
 * be, behind a backlog, and queueing it again would only make the backlog longer. Deliveries that
 * the caller has already taken and not finished are skipped as well. So tasks the queue holds are
 * rarely queued twice (a task queued twice is harmless: only one claim of a due attempt wins).
 *
 * <p>A sweep looks at most at {@code maxPerSweep} deliveries and the next one carries on after the
 * last of them, so a large backlog is walked through in turn rather than its oldest part over and
 * over. Not thread-safe: one caller sweeps at a time.
 */
public final class DeliverySweeper {

  private final DeliveryLedger ledger;
  private final DeliveryQueue queue;
  private final Clock clock;
  private final Duration grace;
  private final int pageSize;
  private final int maxPerSweep;
  private Optional<DeliveryTask> cursor = Optional.empty();

  /** Creates a sweeper that reads due deliveries from the ledger and queues them. */
  public DeliverySweeper(
      DeliveryLedger ledger,
      DeliveryQueue queue,
      Clock clock,
      Duration grace,
      int pageSize,
      int maxPerSweep) {
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must not be negative");
    }
    if (pageSize < 1 || maxPerSweep < 1) {
      throw new IllegalArgumentException("pageSize and maxPerSweep must be at least 1");
    }
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.grace = grace;
    this.pageSize = pageSize;
    this.maxPerSweep = maxPerSweep;
  }

  /**
   * Queues the next overdue deliveries; returns how many it queued.
   *
   * @param passed the latest due time among the tasks the queue handed out last, or empty if it had
   *     none to hand out: then every overdue delivery counts as passed
   * @param inHand whether a delivery's task was taken and is not finished yet, so needs no queueing
   */
  public int sweep(Optional<Instant> passed, Predicate<DeliveryTask> inHand) {
    Instant now = clock.instant();
    Instant dueBy = passed.filter(at -> at.isBefore(now)).orElse(now).minus(grace);
    int seen = 0;
    int queued = 0;
    while (seen < maxPerSweep) {
      int wanted = Math.min(pageSize, maxPerSweep - seen);
      List<DeliveryTask> page = ledger.due(dueBy, cursor, wanted);
      List<DeliveryTask> toQueue = page.stream().filter(inHand.negate()).toList();
      if (!toQueue.isEmpty()) {
        queue.enqueueAll(toQueue);
        queued += toQueue.size();
      }
      seen += page.size();
      if (page.size() < wanted) {
        // The end of what is due: the next sweep starts from the oldest again.
        cursor = Optional.empty();
        break;
      }
      cursor = Optional.of(page.getLast());
    }
    return queued;
  }
}
