package io.triggers.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.triggers.core.memory.InMemoryEventStore;
import io.triggers.core.memory.InMemoryOrganizations;
import io.triggers.core.model.DeliveryMethod;
import io.triggers.core.model.DeliveryStatus;
import io.triggers.core.model.Event;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.SigningSecret;
import io.triggers.core.model.Webhook;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.in.ConfigureWebhook.Outcome;
import io.triggers.core.port.out.Endpoints;
import io.triggers.core.port.out.HostResolver;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigureWebhookServiceTest {

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final InMemoryOrganizations organizations = new InMemoryOrganizations();
  private final InMemoryEventStore store = new InMemoryEventStore();
  private final Endpoints endpoints = store.endpoints();
  private final FakeHostResolver resolver = new FakeHostResolver();
  private final OrganizationId organization = createdOrganization();

  @Test
  void storesAPublicUrlWithAFreshSigningSecret() {
    // given
    resolver.answer("hooks.example.com", "93.184.216.34");

    // when
    Outcome outcome = service(false).configure(organization, "https://hooks.example.com/in");

    // then
    Webhook webhook = ((Outcome.Configured) outcome).webhook();
    assertThat(webhook.url()).isEqualTo(URI.create("https://hooks.example.com/in"));
    assertThat(webhook.signingSecret().value()).startsWith(SigningSecret.PREFIX);
    assertThat(webhook.updatedAt()).isEqualTo(clock.instant());
    assertThat(webhook(organization)).contains(webhook);
  }

  @Test
  void givesEachConfigurationANewSecret() {
    // given
    resolver.answer("hooks.example.com", "93.184.216.34");
    ConfigureWebhookService service = service(false);

    // when
    Outcome first = service.configure(organization, "https://hooks.example.com/in");
    Outcome second = service.configure(organization, "https://hooks.example.com/in");

    // then
    assertThat(((Outcome.Configured) second).webhook().signingSecret())
        .isNotEqualTo(((Outcome.Configured) first).webhook().signingSecret());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "10.0.0.8",
        "172.16.5.4",
        "192.168.1.10",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fd00::1",
        "fe80::1"
      })
  void refusesAHostThatResolvesToANonPublicAddress(String address) {
    // given
    resolver.answer("internal.example.com", address);

    // when
    Outcome outcome = service(false).configure(organization, "https://internal.example.com/in");

    // then
    assertThat(outcome).isInstanceOf(Outcome.Refused.class);
    assertThat(((Outcome.Refused) outcome).reason()).contains("private");
    assertThat(webhook(organization)).isEmpty();
  }

  @Test
  void refusesAHostWithOnePrivateAddressAmongPublicOnes() {
    // given
    resolver.answer("mixed.example.com", "93.184.216.34", "10.0.0.1");

    // when
    Outcome outcome = service(false).configure(organization, "https://mixed.example.com/");

    // then
    assertThat(outcome).isInstanceOf(Outcome.Refused.class);
  }

  @Test
  void refusesALoopbackAddressLiteral() {
    // given
    resolver.answer("::1", "::1");
    resolver.answer("127.0.0.1", "127.0.0.1");

    // when
    Outcome ipv6 = service(false).configure(organization, "http://[::1]:8080/hook");
    Outcome ipv4 = service(false).configure(organization, "http://127.0.0.1:8080/hook");

    // then
    assertThat(ipv6).isInstanceOf(Outcome.Refused.class);
    assertThat(ipv4).isInstanceOf(Outcome.Refused.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://hooks.example.com/in",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "hooks.example.com/in",
        "https:///no-host",
        "https://user:secret@hooks.example.com/in",
        "https://hooks example.com/",
        " "
      })
  void refusesAUrlThatIsNotAnHttpTarget(String url) {
    // given
    resolver.answer("hooks.example.com", "93.184.216.34");

    // when
    Outcome outcome = service(false).configure(organization, url);

    // then
    assertThat(outcome).isInstanceOf(Outcome.Refused.class);
    assertThat(webhook(organization)).isEmpty();
  }

  @Test
  void refusesAHostThatDoesNotResolve() {
    // when
    Outcome outcome = service(false).configure(organization, "https://nowhere.example.com/");

    // then
    assertThat(outcome).isEqualTo(new Outcome.Refused("webhook_url host does not resolve"));
  }

  @Test
  void allowsPrivateTargetsWhenConfiguredTo() {
    // given
    resolver.answer("localhost", "127.0.0.1");

    // when
    Outcome outcome = service(true).configure(organization, "http://localhost:9000/hook");

    // then
    assertThat(outcome).isInstanceOf(Outcome.Configured.class);
    assertThat(webhook(organization)).isPresent();
  }

  @Test
  void stillRefusesABadSchemeWhenPrivateTargetsAreAllowed() {
    // when
    Outcome outcome = service(true).configure(organization, "gopher://localhost/");

    // then
    assertThat(outcome).isInstanceOf(Outcome.Refused.class);
  }

  @Test
  void removesTheWebhookIdempotently() {
    // given
    resolver.answer("hooks.example.com", "93.184.216.34");
    ConfigureWebhookService service = service(false);
    service.configure(organization, "https://hooks.example.com/in");

    // when
    service.remove(organization);
    service.remove(organization);

    // then
    assertThat(webhook(organization)).isEmpty();
  }

  @Test
  void removingTheWebhookEndsItsDeliveriesNotYetMadeAsFailed() {
    // given
    resolver.answer("hooks.example.com", "93.184.216.34");
    ConfigureWebhookService service = service(false);
    service.configure(organization, "https://hooks.example.com/in");
    Event event = fixtures.event(organization);
    store.append(List.of(event), DeliveryMethod.PUSH);

    // when
    service.remove(organization);

    // then
    assertThat(store.find(organization, event.id()).orElseThrow().delivery())
        .satisfies(
            delivery -> {
              assertThat(delivery.status()).isEqualTo(DeliveryStatus.FAILED);
              assertThat(delivery.lastError()).contains(ManageEndpointsService.DELETED);
            });
  }

  private ConfigureWebhookService service(boolean allowPrivate) {
    return new ConfigureWebhookService(
        endpoints, store, new WebhookTargetRules(resolver, allowPrivate), fixtures.ids(), clock);
  }

  /** The default endpoint as the webhook it stands for. */
  private Optional<Webhook> webhook(OrganizationId organization) {
    return endpoints
        .findDefault(organization)
        .map(
            endpoint ->
                new Webhook(endpoint.url(), endpoint.signingSecret(), endpoint.updatedAt()));
  }

  private OrganizationId createdOrganization() {
    Organization created = fixtures.organization();
    organizations.create(created, fixtures.ids().newApiKey().hash());
    return created.id();
  }

  /** Answers from a table instead of DNS; unknown hosts do not resolve. */
  private static final class FakeHostResolver implements HostResolver {

    private final Map<String, List<InetAddress>> answers = new HashMap<>();

    void answer(String host, String... addresses) {
      answers.put(host, Arrays.stream(addresses).map(FakeHostResolver::literal).toList());
    }

    @Override
    public List<InetAddress> resolve(String host) {
      return answers.getOrDefault(host, List.of());
    }

    private static InetAddress literal(String address) {
      try {
        // An address literal is parsed without a lookup.
        return InetAddress.getByName(address);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(address, e);
      }
    }
  }
}
