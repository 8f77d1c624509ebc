package io.triggers.core.memory;

import io.triggers.core.port.out.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Resolves host names through the JVM's resolver, which follows the operating system's. */
public final class SystemHostResolver implements HostResolver {

  /** Resolves through the JVM's own resolver. */
  public SystemHostResolver() {}

  @Override
  public List<InetAddress> resolve(String host) {
    // The JDK resolves a blank name to the loopback address, which would hide a malformed URL.
    if (host == null || host.isBlank()) {
      return List.of();
    }
    try {
      return List.of(InetAddress.getAllByName(host));
    } catch (UnknownHostException e) {
      return List.of();
    }
  }
}
