package io.triggers.adapters.http.webhook;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Whether a webhook request may go to an address: bootstrap hands the sender the webhook target
 * rules' answer, so that the address the client connects to is checked, not only the one looked up
 * before the attempt.
 */
@FunctionalInterface
public interface AddressCheck {

  /** Every address allowed, for receivers on private addresses by choice. */
  AddressCheck ANY = address -> Optional.empty();

  /** Why no request may go to {@code address}, or empty if it may. */
  Optional<String> refusal(InetAddress address);
}
