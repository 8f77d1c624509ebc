package io.triggers.adapters.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import org.xnio.ChannelListener;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * Keeps a connection's reads armed while its request waits on the IO thread for a reply that
 * another thread completes (a commit), instead of leaving them off until the reply is written.
 *
 * <p>Undertow stops reading a connection once it has parsed a request and starts again when the
 * exchange ends. Each of those changes the selector's interest set, and when the request waits past
 * the IO thread's turn, each becomes a system call of its own ({@code epoll_ctl}) at the next
 * select, two a request. Turned back on before the IO thread returns to its selector, the interest
 * set is what the kernel already holds: nothing is changed, and the resumption when the exchange
 * ends finds reads on already.
 *
 * <p>While the request waits, its connection's read listener stops reading at the first sign of
 * input, as Undertow's own listener would for a request in progress: bytes of a pipelined next
 * request, or the end of the stream from a client that closed, stay in the socket for Undertow to
 * read once the exchange has ended, in order. Nothing is read early, so the request is answered,
 * committed or not, as it would have been.
 */
final class ConnectionReads {

  /** Stops reading until the exchange ends and Undertow sets its own listener again. */
  private static final ChannelListener<ConduitStreamSourceChannel> STOP_UNTIL_REPLIED =
      ConduitStreamSourceChannel::suspendReads;

  private ConnectionReads() {}

  /**
   * On the exchange's IO thread, once its request has been read in full and its reply will come
   * later: keeps the connection's reads on. Does nothing elsewhere, for a connection that already
   * holds bytes of another request, or for one that is not plain HTTP/1.
   */
  static void keepArmed(HttpServerExchange exchange) {
    if (!exchange.isInIoThread()
        || !exchange.isRequestComplete()
        || exchange.getConnection().getSslSession() != null
        || !(exchange.getConnection() instanceof HttpServerConnection connection)
        || connection.getExtraBytes() != null) {
      return;
    }
    connection.getChannel().getSourceChannel().setReadListener(STOP_UNTIL_REPLIED);
    connection.getOriginalSourceConduit().resumeReads();
  }
}
