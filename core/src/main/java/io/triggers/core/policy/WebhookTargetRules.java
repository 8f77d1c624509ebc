package io.triggers.core.policy;

import io.triggers.core.port.out.HostResolver;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides whether a URL may receive webhooks: http or https, a host, and (unless private targets
 * are allowed) only public addresses. Refused are loopback, private, link-local, carrier-grade NAT,
 * multicast, broadcast, unspecified, reserved and documentation addresses, IPv6 unique-local,
 * link-local, site-local and multicast addresses, and IPv6 forms that embed an IPv4 address
 * (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo) when the embedded address is refused. A host
 * written as a number in any form but the usual dotted quad ({@code 2130706433}, {@code
 * 0177.0.0.1}) is refused whatever the setting, since resolvers disagree on what it means. Checked
 * when a webhook is configured and again before each send, because DNS answers change.
 */
public final class WebhookTargetRules {

  private static final int MAX_URL_LENGTH = 2048;

  /** Labels that are all digits, or hexadecimal with {@code 0x}: a number, not a name. */
  private static final Pattern NUMERIC_HOST =
      Pattern.compile("(?i)(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?");

  private static final Pattern DOTTED_QUAD =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");

  private static final List<Block> REFUSED_IPV4 =
      List.of(
          Block.of("0.0.0.0", 8, "an unspecified"),
          Block.of("10.0.0.0", 8, "a private"),
          Block.of("100.64.0.0", 10, "a carrier-grade NAT"),
          Block.of("127.0.0.0", 8, "a loopback"),
          Block.of("169.254.0.0", 16, "a link-local"),
          Block.of("172.16.0.0", 12, "a private"),
          Block.of("192.0.0.0", 24, "a reserved"),
          Block.of("192.0.2.0", 24, "a documentation"),
          Block.of("192.88.99.0", 24, "a reserved"),
          Block.of("192.168.0.0", 16, "a private"),
          Block.of("198.18.0.0", 15, "a benchmarking"),
          Block.of("198.51.100.0", 24, "a documentation"),
          Block.of("203.0.113.0", 24, "a documentation"),
          Block.of("224.0.0.0", 4, "a multicast"),
          Block.of("255.255.255.255", 32, "the broadcast"),
          Block.of("240.0.0.0", 4, "a reserved"));

  private static final List<Block> REFUSED_IPV6 =
      List.of(
          Block.of("::", 128, "the unspecified"),
          Block.of("::1", 128, "the loopback"),
          Block.of("100::", 64, "a discard-only"),
          Block.of("64:ff9b:1::", 48, "a local NAT64"),
          Block.of("2001:db8::", 32, "a documentation"),
          Block.of("fc00::", 7, "a unique-local"),
          Block.of("fe80::", 10, "a link-local"),
          Block.of("fec0::", 10, "a site-local"),
          Block.of("ff00::", 8, "a multicast"));

  private final HostResolver resolver;
  private final boolean allowPrivate;

  /**
   * Rules that resolve hosts with {@code resolver}; {@code allowPrivate} lets private and other
   * non-public addresses through.
   */
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
    String host = hostOf(uri);
    if (NUMERIC_HOST.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
      return new Verdict.Refused(
          "webhook_url host is a number; write an IPv4 address as four decimal parts, a.b.c.d");
    }
    if (allowPrivate) {
      return new Verdict.Allowed(uri);
    }
    List<InetAddress> addresses = resolver.resolve(host);
    if (addresses.isEmpty()) {
      return new Verdict.Refused("webhook_url host does not resolve");
    }
    for (InetAddress address : addresses) {
      Optional<String> refusal = refusal(address);
      if (refusal.isPresent()) {
        return new Verdict.Refused("webhook_url " + refusal.get());
      }
    }
    return new Verdict.Allowed(uri);
  }

  /**
   * Why a webhook request may not go to {@code address} ("resolves to a loopback address …"), or
   * empty if it may. The HTTP client checks each address it is about to connect to with this, so
   * that a host that resolves to a public address when {@link #check} looks and to a private one a
   * moment later (DNS rebinding) is still refused.
   */
  public Optional<String> refusal(InetAddress address) {
    if (allowPrivate) {
      return Optional.empty();
    }
    return refusedKind(address)
        .map(
            kind ->
                "resolves to "
                    + kind
                    + " address ("
                    + address.getHostAddress()
                    + "); private and other non-public addresses may not receive webhooks");
  }

  private static String hostOf(URI uri) {
    String host = uri.getHost();
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** What kind of refused address this is ("a loopback"), or empty if it is public. */
  static Optional<String> refusedKind(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 4) {
      return kindIn(REFUSED_IPV4, bytes);
    }
    Optional<String> kind = kindIn(REFUSED_IPV6, bytes);
    if (kind.isPresent()) {
      return kind;
    }
    return embeddedIpv4(bytes)
        .flatMap(ipv4 -> kindIn(REFUSED_IPV4, ipv4))
        .map(ipv4Kind -> "an IPv6 form of " + ipv4Kind);
  }

  /**
   * The IPv4 address that an IPv6 address stands for: IPv4-mapped {@code ::ffff:0:0/96},
   * IPv4-compatible {@code ::/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16} and Teredo
   * {@code 2001::/32} (the client's address, stored inverted).
   */
  private static Optional<byte[]> embeddedIpv4(byte[] ipv6) {
    if (allZero(ipv6, 0, 10) && (ipv6[10] & 0xff) == 0xff && (ipv6[11] & 0xff) == 0xff) {
      return Optional.of(Arrays.copyOfRange(ipv6, 12, 16));
    }
    if (allZero(ipv6, 0, 12)) {
      return Optional.of(Arrays.copyOfRange(ipv6, 12, 16));
    }
    if (startsWith(ipv6, 0x00, 0x64, 0xff, 0x9b) && allZero(ipv6, 4, 12)) {
      return Optional.of(Arrays.copyOfRange(ipv6, 12, 16));
    }
    if (startsWith(ipv6, 0x20, 0x02)) {
      return Optional.of(Arrays.copyOfRange(ipv6, 2, 6));
    }
    if (startsWith(ipv6, 0x20, 0x01, 0x00, 0x00)) {
      byte[] client = Arrays.copyOfRange(ipv6, 12, 16);
      for (int i = 0; i < client.length; i++) {
        client[i] = (byte) ~client[i];
      }
      return Optional.of(client);
    }
    return Optional.empty();
  }

  private static Optional<String> kindIn(List<Block> blocks, byte[] address) {
    return blocks.stream().filter(block -> block.contains(address)).map(Block::kind).findFirst();
  }

  private static boolean allZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** An address block, {@code prefix/bits}, and what kind of address lies in it. */
  private record Block(byte[] prefix, int bits, String kind) {

    static Block of(String literal, int bits, String kind) {
      try {
        // Literals only, so nothing is looked up.
        return new Block(InetAddress.getByName(literal).getAddress(), bits, kind);
      } catch (UnknownHostException e) {
        throw new IllegalStateException("not an address literal: " + literal, e);
      }
    }

    boolean contains(byte[] address) {
      if (address.length != prefix.length) {
        return false;
      }
      for (int bit = 0; bit < bits; bit++) {
        int mask = 0x80 >>> (bit % 8);
        if ((address[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Whether a URL may receive webhooks. */
  public sealed interface Verdict {

    /** The address may be called, as {@code url}. */
    record Allowed(URI url) implements Verdict {}

    /** The address may not be called, for {@code reason}. */
    record Refused(String reason) implements Verdict {}
  }
}
