package io.triggers.adapters.http.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * Resolves a webhook's host for the HTTP client and refuses it when any of its addresses may not
 * receive webhooks. The target rules are checked before each attempt too, but that looks the host
 * up once and the client connects after looking it up again: a host whose name server answers a
 * public address to the first and a private one to the second (DNS rebinding) would get through.
 * Checked here, the addresses checked are the ones connected to.
 */
final class CheckedAddressResolver extends SystemDefaultDnsResolver {

  private final AddressCheck check;

  CheckedAddressResolver(AddressCheck check) {
    this.check = Objects.requireNonNull(check, "check");
  }

  @Override
  public InetAddress[] resolve(String host) throws UnknownHostException {
    InetAddress[] addresses = super.resolve(host);
    for (InetAddress address : addresses) {
      Optional<String> refusal = check.refusal(address);
      if (refusal.isPresent()) {
        throw new RefusedAddressException(host + " " + refusal.get());
      }
    }
    return addresses;
  }

  /** A host that resolved to an address webhooks may not go to; its message says which. */
  static final class RefusedAddressException extends UnknownHostException {

    RefusedAddressException(String message) {
      super(message);
    }
  }
}
