package io.triggers.core.port.out;

import java.net.InetAddress;
import java.util.List;

/** Resolves webhook host names, so the address rules can be checked and tested without DNS. */
public interface HostResolver {

  /** All addresses of {@code host}; empty if it does not resolve. Thread-safe. */
  List<InetAddress> resolve(String host);
}
