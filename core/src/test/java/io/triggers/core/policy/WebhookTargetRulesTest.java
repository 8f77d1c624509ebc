package io.triggers.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import io.triggers.core.port.out.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookTargetRulesTest {

  private static final Map<String, String> NAMES =
      Map.of(
          "hooks.example.com", "93.184.216.34",
          "rebound.example.com", "127.0.0.1",
          "mapped.example.com", "::ffff:10.0.0.1",
          "ula.example.com", "fd00::1");

  /** Names from a table, address literals as the JDK reads them, which needs no DNS. */
  private static final HostResolver RESOLVER =
      host -> {
        try {
          if (NAMES.containsKey(host)) {
            return List.of(InetAddress.getByName(NAMES.get(host)));
          }
          return host.matches("[0-9.]+|.*:.*")
              ? List.of(InetAddress.getAllByName(host))
              : List.of();
        } catch (UnknownHostException e) {
          return List.of();
        }
      };

  private final WebhookTargetRules rules = new WebhookTargetRules(RESOLVER, false);
  private final WebhookTargetRules allowingPrivate = new WebhookTargetRules(RESOLVER, true);

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    // public addresses and names
    "https://hooks.example.com/in, accepted",
    "http://93.184.216.34/, accepted",
    "http://8.8.8.8:8080/hook, accepted",
    "http://1.1.1.1/, accepted",
    "http://100.63.255.255/, accepted",
    "http://100.128.0.0/, accepted",
    "http://172.15.255.255/, accepted",
    "http://172.32.0.0/, accepted",
    "http://223.255.255.255/, accepted",
    "http://[2606:4700:4700::1111]/, accepted",
    "http://[2001:4860:4860::8888]/, accepted",
    "http://[::ffff:8.8.8.8]/, accepted",
    "http://[64:ff9b::8.8.8.8]/, accepted",
    "http://[2002:0808:0808::1]/, accepted",
    // IPv4: loopback, private, link-local, CGNAT, unspecified, multicast, broadcast, reserved
    "http://127.0.0.1/, refused",
    "http://127.255.0.1:8080/, refused",
    "http://10.0.0.1/, refused",
    "http://172.16.0.1/, refused",
    "http://172.31.255.255/, refused",
    "http://192.168.1.1/, refused",
    "http://169.254.169.254/latest/meta-data, refused",
    "http://100.64.0.1/, refused",
    "http://100.127.255.255/, refused",
    "http://0.0.0.0/, refused",
    "http://0.1.2.3/, refused",
    "http://224.0.0.1/, refused",
    "http://239.255.255.250/, refused",
    "http://255.255.255.255/, refused",
    "http://240.0.0.1/, refused",
    "http://192.0.2.1/, refused",
    "http://198.18.0.1/, refused",
    "http://198.51.100.7/, refused",
    "http://203.0.113.9/, refused",
    // numbers that are not dotted quads: refused, whatever they would resolve to
    "http://2130706433/, refused",
    "http://017700000001/, refused",
    "http://0x7f000001/, refused",
    "http://0x7f.1/, refused",
    "http://127.1/, refused",
    "http://0177.0.0.1/, refused",
    "http://0/, refused",
    "http://127.0.0.1./, refused",
    // IPv6 proper
    "http://[::1]/, refused",
    "http://[::]/, refused",
    "http://[fe80::1]/, refused",
    "http://[fec0::1]/, refused",
    "http://[fc00::1]/, refused",
    "http://[fd12:3456:789a::1]/, refused",
    "http://[ff02::1]/, refused",
    "http://[2001:db8::1]/, refused",
    "http://[64:ff9b:1::1]/, refused",
    // IPv6 forms that embed a refused IPv4 address
    "http://[::ffff:127.0.0.1]/, refused",
    "http://[::ffff:7f00:1]/, refused",
    "http://[::ffff:169.254.169.254]/, refused",
    "http://[::127.0.0.1]/, refused",
    "http://[::10.0.0.1]/, refused",
    "http://[64:ff9b::127.0.0.1]/, refused",
    "http://[64:ff9b::a00:1]/, refused",
    "http://[2002:7f00:1::1]/, refused",
    "http://[2002:c0a8:101::1]/, refused",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/, refused",
    // names that resolve to refused addresses
    "http://rebound.example.com/, refused",
    "http://mapped.example.com/, refused",
    "http://ula.example.com/, refused",
  })
  void acceptsOnlyPublicAddresses(String url, String expected) {
    // when
    WebhookTargetRules.Verdict verdict = rules.check(url);

    // then
    assertThat(verdict)
        .as(url)
        .isInstanceOf(
            expected.equals("accepted")
                ? WebhookTargetRules.Verdict.Allowed.class
                : WebhookTargetRules.Verdict.Refused.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::127.0.0.1]/",
        "http://[2002:7f00:1::1]/",
        "http://255.255.255.255/",
        "http://rebound.example.com/"
      })
  void acceptsPrivateTargetsWhenConfiguredTo(String url) {
    // when / then
    assertThat(allowingPrivate.check(url)).isInstanceOf(WebhookTargetRules.Verdict.Allowed.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://2130706433/", "http://0177.0.0.1/", "http://127.1/"})
  void refusesAHostWrittenAsAnAmbiguousNumberEvenWhenPrivateTargetsAreAllowed(String url) {
    // when / then
    assertThat(allowingPrivate.check(url)).isInstanceOf(WebhookTargetRules.Verdict.Refused.class);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://[::127.0.0.1]/|webhook_url resolves to an IPv6 form of a loopback address",
        "http://[64:ff9b::127.0.0.1]/|webhook_url resolves to an IPv6 form of a loopback address",
        "http://[2002:7f00:1::1]/|webhook_url resolves to an IPv6 form of a loopback address",
        "http://255.255.255.255/|webhook_url resolves to the broadcast address",
        "http://100.64.0.1/|webhook_url resolves to a carrier-grade NAT address",
        "http://2130706433/|webhook_url host is a number"
      })
  void saysWhyATargetIsRefused(String url, String reason) {
    // when
    WebhookTargetRules.Verdict verdict = rules.check(url);

    // then
    assertThat(verdict)
        .asInstanceOf(type(WebhookTargetRules.Verdict.Refused.class))
        .extracting(WebhookTargetRules.Verdict.Refused::reason)
        .asString()
        .startsWith(reason);
  }
}
