package io.triggers.core.service;

import io.triggers.core.port.out.HostResolver;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a URL may receive webhooks: http or https, a host, and (unless private targets
 * are allowed) no loopback, private, link-local, multicast or unspecified address. Checked when a
 * webhook is configured and again before each send, because DNS answers change.
 */
public final class WebhookTargetRules {

  private static final int MAX_URL_LENGTH = 2048;

  private final HostResolver resolver;
  private final boolean allowPrivate;

  public WebhookTargetRules(HostResolver resolver, boolean allowPrivate) {
    this.resolver = resolver;
    this.allowPrivate = allowPrivate;
  }

  /** The parsed URL if it may receive webhooks, otherwise why not. */
  public Verdict check(String url) {
    if (url == null || url.isBlank()) {
      return new Verdict.Refused("webhook_url must not be empty");
    }
    if (url.length() > MAX_URL_LENGTH) {
      return new Verdict.Refused("webhook_url must be at most " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return new Verdict.Refused("webhook_url is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return new Verdict.Refused("webhook_url must use http or https");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return new Verdict.Refused("webhook_url must name a host");
    }
    if (uri.getUserInfo() != null) {
      return new Verdict.Refused("webhook_url must not carry credentials");
    }
    if (allowPrivate) {
      return new Verdict.Allowed(uri);
    }
    List<InetAddress> addresses = resolver.resolve(hostOf(uri));
    if (addresses.isEmpty()) {
      return new Verdict.Refused("webhook_url host does not resolve");
    }
    Optional<InetAddress> forbidden = addresses.stream().filter(this::isForbidden).findFirst();
    if (forbidden.isPresent()) {
      return new Verdict.Refused(
          "webhook_url resolves to a private, loopback or link-local address");
    }
    return new Verdict.Allowed(uri);
  }

  private static String hostOf(URI uri) {
    String host = uri.getHost();
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  private boolean isForbidden(InetAddress address) {
    return address.isLoopbackAddress()
        || address.isSiteLocalAddress()
        || address.isLinkLocalAddress()
        || address.isAnyLocalAddress()
        || address.isMulticastAddress()
        || isUniqueLocalIpv6(address)
        || isCarrierGradeNat(address);
  }

  private static boolean isUniqueLocalIpv6(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
  }

  private static boolean isCarrierGradeNat(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
  }

  /** Whether a URL may receive webhooks. */
  public sealed interface Verdict {

    record Allowed(URI url) implements Verdict {}

    record Refused(String reason) implements Verdict {}
  }
}
