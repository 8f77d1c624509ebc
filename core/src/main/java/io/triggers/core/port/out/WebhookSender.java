package io.triggers.core.port.out;

import io.triggers.core.model.Exchange;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends events to webhooks as signed HTTP requests.
 *
 * <p>Thread-safe. A send blocks its caller for at most {@link #timeout()}. Whatever the receiver or
 * the network does (an error status, a refused connection, a timeout) is a {@link SendResult},
 * never an exception; an interrupted send throws {@link io.triggers.core.model.TriggersException}
 * with the thread's interrupt status set, and then nothing is known about whether the receiver got
 * it.
 */
public interface WebhookSender {

  /** The longest one send may take, from connecting to the end of the receiver's answer. */
  Duration timeout();

  /** POSTs the event to the message's URL, signed; one attempt, no retries. */
  SendResult send(WebhookMessage message);

  /** How one send went. */
  sealed interface SendResult {

    /** What an attempt's log shows of this send: the endpoint's status, if any, and its time. */
    default Exchange exchange(Duration took) {
      return switch (this) {
        case Delivered delivered -> Exchange.answered(delivered.status(), took);
        case Gone gone -> Exchange.answered(410, took);
        case Failed failed ->
            failed
                .status()
                .map(status -> Exchange.answered(status, took))
                .orElseGet(() -> Exchange.unanswered(took));
      };
    }

    /** The receiver answered with a 2xx status in time. */
    record Delivered(int status) implements SendResult {}

    /**
     * The receiver did not take the event: an error status, no answer in time, or no connection.
     * {@code retryAfter} is what a 429 or 503 answer asked for in its {@code Retry-After} header;
     * {@code status} is the answer's HTTP status, empty if there was no answer.
     */
    record Failed(String error, Optional<Duration> retryAfter, Optional<Integer> status)
        implements SendResult {
      /** Checks that every component is present and valid. */
      public Failed {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(status, "status");
      }

      /** A send that got no answer: no connection, or no complete answer in time. */
      public Failed(String error, Optional<Duration> retryAfter) {
        this(error, retryAfter, Optional.empty());
      }
    }

    /** The receiver answered {@code 410 Gone}: it wants no more events. */
    record Gone() implements SendResult {}
  }
}
