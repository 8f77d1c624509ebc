package io.triggers.core.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Ports for test servers that are stopped and started again on the same port. */
public final class FreePorts {

  private static final int FIRST = 20_000;
  private static final int LAST = 32_000;

  private FreePorts() {}

  /**
   * A free port below the range the kernel hands out for outgoing connections (32768 and up on
   * Linux). A client reconnecting to a stopped server on a port in that range may be given that
   * very port as its own and connect to itself, and the server then cannot start on it again.
   */
  public static int belowEphemeralRange() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(FIRST, LAST + 1);
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return socket.getLocalPort();
      } catch (IOException taken) {
        // Try another.
      }
    }
    throw new IllegalStateException("no free port between " + FIRST + " and " + LAST);
  }
}
