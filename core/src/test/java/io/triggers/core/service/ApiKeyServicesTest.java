package io.triggers.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.memory.InMemoryOrganizations;
import io.triggers.core.model.ApiKey;
import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.Tier;
import io.triggers.core.model.TriggersException;
import io.triggers.core.port.in.GenerateApiKey.Command;
import io.triggers.core.port.in.GenerateApiKey.IssuedKey;
import io.triggers.core.port.in.RotateApiKey.RotatedKey;
import io.triggers.core.testing.Fixtures;
import io.triggers.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApiKeyServicesTest {

  private final MutableClock clock = new MutableClock();
  private final Fixtures fixtures = new Fixtures(clock);
  private final InMemoryOrganizations organizations = new InMemoryOrganizations();
  private final GenerateApiKeyService generate =
      new GenerateApiKeyService(organizations, fixtures.ids(), clock);
  private final AuthenticateApiKeyService authenticate =
      new AuthenticateApiKeyService(organizations);
  private final RotateApiKeyService rotate =
      new RotateApiKeyService(organizations, fixtures.ids(), clock);

  @Test
  void createsAnOrganizationWhoseKeyAuthenticatesIt() {
    // when
    IssuedKey issued = generate.generate(new Command(new OrganizationName("Acme"), Tier.PRO));

    // then
    Organization organization = issued.organization();
    assertThat(organization.name()).isEqualTo(new OrganizationName("Acme"));
    assertThat(organization.tier()).isEqualTo(Tier.PRO);
    assertThat(organization.createdAt()).isEqualTo(clock.instant());
    assertThat(issued.apiKey().value()).startsWith(ApiKey.PREFIX);
    assertThat(authenticate.authenticate(issued.apiKey())).contains(organization);
  }

  @Test
  void givesEachOrganizationItsOwnKey() {
    // given
    IssuedKey first = generate.generate(new Command(new OrganizationName("One"), Tier.FREE));
    IssuedKey second = generate.generate(new Command(new OrganizationName("Two"), Tier.FREE));

    // when / then
    assertThat(first.apiKey()).isNotEqualTo(second.apiKey());
    assertThat(authenticate.authenticate(first.apiKey())).contains(first.organization());
    assertThat(authenticate.authenticate(second.apiKey())).contains(second.organization());
  }

  @Test
  void refusesAnUnknownKey() {
    // given
    generate.generate(new Command(new OrganizationName("Acme"), Tier.FREE));

    // when / then
    assertThat(authenticate.authenticate(new ApiKey("trg_not-a-key-we-issued"))).isEmpty();
  }

  @Test
  void refusesTheOldKeyOnceRotated() {
    // given
    IssuedKey issued = generate.generate(new Command(new OrganizationName("Acme"), Tier.FREE));
    Instant later = clock.advance(Duration.ofHours(1));

    // when
    RotatedKey rotated = rotate.rotate(issued.organization().id());

    // then
    assertThat(rotated.organization()).isEqualTo(issued.organization().id());
    assertThat(rotated.rotatedAt()).isEqualTo(later);
    assertThat(rotated.apiKey()).isNotEqualTo(issued.apiKey());
    assertThat(authenticate.authenticate(issued.apiKey())).isEmpty();
    assertThat(authenticate.authenticate(rotated.apiKey())).contains(issued.organization());
  }

  @Test
  void failsToRotateTheKeyOfAnUnknownOrganization() {
    // when / then
    assertThatThrownBy(() -> rotate.rotate(fixtures.organization().id()))
        .isInstanceOf(TriggersException.class);
  }
}
