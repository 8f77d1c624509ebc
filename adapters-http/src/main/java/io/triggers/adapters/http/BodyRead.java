package io.triggers.adapters.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.xnio.ChannelListener;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSourceChannel;

/**
 * One request body being read, within the body limit, the budget and the read timeout. The first
 * reads run on the caller's thread; once the connection has nothing more for now, the rest run from
 * a read listener on the IO thread, where the timeout also fires, and exactly one of them ends the
 * read.
 */
final class BodyRead implements ChannelListener<StreamSourceChannel> {

  private static final ByteBuffer END_PROBE = ByteBuffer.allocate(0);

  private final HttpServerExchange exchange;
  private final long declared;
  private final Consumer<BodyReader.Body> onBody;
  private final Consumer<Reply> onRefused;
  private final long deadline;
  private final long maxBytes;
  private final BodyBudget.Reservation reservation;
  private final AtomicBoolean ended = new AtomicBoolean();
  private StreamSourceChannel channel;
  private byte[] buffer = new byte[0];
  private int size;
  private volatile XnioExecutor.Key timeout;

  BodyRead(
      HttpServerExchange exchange,
      long declared,
      long maxBytes,
      BodyBudget.Reservation reservation,
      Consumer<BodyReader.Body> onBody,
      Consumer<Reply> onRefused,
      long deadline) {
    this.exchange = exchange;
    this.declared = declared;
    this.maxBytes = maxBytes;
    this.reservation = reservation;
    this.onBody = onBody;
    this.onRefused = onRefused;
    this.deadline = deadline;
  }

  void start() {
    if (declared == 0) {
      succeed();
      return;
    }
    channel = exchange.getRequestChannel();
    if (channel == null) {
      fail(Reply.error(400, "invalid_request", "the request body could not be read"));
      return;
    }
    readAvailable();
  }

  @Override
  public void handleEvent(StreamSourceChannel source) {
    if (!ended.get()) {
      readAvailable();
    }
  }

  private void readAvailable() {
    try {
      while (true) {
        if (declared > 0 && size == declared) {
          // One more read, which finds the end, marks the request as read in full, so that the
          // connection stays open for the next one.
          channel.read(END_PROBE);
          succeed();
          return;
        }
        if (size == buffer.length && !grow()) {
          return;
        }
        int n = channel.read(ByteBuffer.wrap(buffer, size, buffer.length - size));
        if (n == -1) {
          if (declared > 0) {
            // The client went away before sending what it announced; nobody is left to answer.
            fail(Reply.error(400, "invalid_request", "the request body ended early"));
          } else {
            succeed();
          }
          return;
        }
        if (n == 0) {
          await();
          return;
        }
        size += n;
        if (declared < 0 && size > maxBytes) {
          fail(ErrorResponses.payloadTooLarge(maxBytes));
          return;
        }
      }
    } catch (RequestTooBigException e) {
      fail(ErrorResponses.payloadTooLarge(maxBytes));
    } catch (IOException | RuntimeException e) {
      fail(Reply.error(400, "invalid_request", "the request body could not be read"));
    }
  }

  /** Doubles the buffer, up to the declared length or one byte past the limit, within budget. */
  private boolean grow() {
    long ceiling = declared > 0 ? declared : maxBytes + 1;
    int capacity =
        (int) Math.min(ceiling, Math.max(BodyReader.FIRST_BUFFER_BYTES, 2L * buffer.length));
    if (!reservation.grow(capacity - buffer.length)) {
      fail(ErrorResponses.bodyMemoryExhausted());
      return false;
    }
    buffer = Arrays.copyOf(buffer, capacity);
    return true;
  }

  private void await() {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      fail(ErrorResponses.bodyTimedOut());
      return;
    }
    channel.getReadSetter().set(this);
    channel.resumeReads();
    // Armed only now, so that it never fires while the caller's thread is still reading. It may
    // outlive the read, and then it finds the read ended and does nothing.
    if (timeout == null) {
      timeout =
          exchange.getIoThread().executeAfter(this::timedOut, remaining, TimeUnit.NANOSECONDS);
    }
  }

  private void timedOut() {
    fail(ErrorResponses.bodyTimedOut());
  }

  private void succeed() {
    if (!end()) {
      return;
    }
    if (size != buffer.length && !reservation.grow(size)) {
      refuse(ErrorResponses.bodyMemoryExhausted());
      return;
    }
    byte[] body = size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    buffer = null;
    onBody.accept(new BodyReader.Body(body, reservation));
  }

  void fail(Reply reply) {
    if (end()) {
      refuse(reply);
    }
  }

  private void refuse(Reply reply) {
    buffer = null;
    reservation.release();
    onRefused.accept(reply);
  }

  /** Claims the end of the read for the caller, stopping reads and the timer; once only. */
  private boolean end() {
    if (!ended.compareAndSet(false, true)) {
      return false;
    }
    if (timeout != null) {
      timeout.remove();
    }
    if (channel != null) {
      channel.getReadSetter().set(null);
      channel.suspendReads();
    }
    return true;
  }
}
