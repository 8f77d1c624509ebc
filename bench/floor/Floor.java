import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The floor of the ingest benchmark: Undertow, as the server runs it, answering 202 with a short
 * JSON body to every request once it has read the body, and doing nothing else. Run it with the
 * server's jar on the class path: {@code java -cp triggers-server.jar Floor.java PORT}.
 */
final class Floor {

  private static final byte[] ACCEPTED =
      "{\"id\":\"01a219f8-760a-7000-86f7-6392546d4f81\",\"status\":\"accepted\"}"
          .getBytes(StandardCharsets.US_ASCII);

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Undertow server =
        Undertow.builder()
            .addHttpListener(port, "127.0.0.1")
            // As many I/O threads as the server's HTTP adapter: one per core, at least two.
            .setIoThreads(Math.max(2, Runtime.getRuntime().availableProcessors()))
            .setHandler(
                exchange ->
                    // Read the whole body, as a real handler must, then answer from the I/O thread.
                    exchange
                        .getRequestReceiver()
                        .receiveFullBytes(
                            (done, body) -> {
                              done.setStatusCode(202);
                              done.getResponseHeaders()
                                  .put(Headers.CONTENT_TYPE, "application/json");
                              done.getResponseSender().send(ByteBuffer.wrap(ACCEPTED));
                            }))
            .build();
    server.start();
    System.out.println("floor ready on port " + port);
  }
}
