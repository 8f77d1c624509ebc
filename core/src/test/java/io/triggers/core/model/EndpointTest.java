package io.triggers.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final SigningSecret FIRST = new SigningSecret("whsec_Zmlyc3Q=");
  private static final SigningSecret SECOND = new SigningSecret("whsec_c2Vjb25k");
  private static final SigningSecret THIRD = new SigningSecret("whsec_dGhpcmQ=");

  @ParameterizedTest
  @CsvSource({
    "order.created, order.created, true",
    "order.created, order.updated, false",
    "order.*, order.created, true",
    "order.*, order.item.added, true",
    "order.*, order, false",
    "order.*, orders.created, false",
    "order.*, order., false",
    "order, order.created, false",
  })
  void matchesExactTypesAndPrefixes(String filter, String type, boolean matches) {
    assertThat(new EventTypeFilter(filter).matches(new EventType(type))).isEqualTo(matches);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "*", ".*", "order*", "order.*.created", "or*der", "order.**"})
  void refusesFiltersThatAreNeitherTypesNorPrefixes(String filter) {
    assertThatThrownBy(() -> new EventTypeFilter(filter))
        .isInstanceOf(InvalidValueException.class)
        .extracting(e -> ((InvalidValueException) e).field())
        .isEqualTo("event_types");
  }

  @Test
  void subscribesToEveryTypeWithoutFilters() {
    assertThat(endpoint(List.of()).subscribesTo(new EventType("anything.at.all"))).isTrue();
  }

  @Test
  void subscribesToTheTypesOneOfItsFiltersMatches() {
    Endpoint endpoint =
        endpoint(List.of(new EventTypeFilter("order.*"), new EventTypeFilter("user.deleted")));

    assertThat(endpoint.subscribesTo(new EventType("order.paid"))).isTrue();
    assertThat(endpoint.subscribesTo(new EventType("user.deleted"))).isTrue();
    assertThat(endpoint.subscribesTo(new EventType("user.created"))).isFalse();
  }

  @Test
  void refusesTooManyFiltersAndABadDescription() {
    List<EventTypeFilter> tooMany =
        Collections.nCopies(Endpoint.MAX_EVENT_TYPES + 1, new EventTypeFilter("a"));
    assertThatThrownBy(() -> endpoint(tooMany)).isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(
            () ->
                Endpoint.created(
                    new EndpointId(UUID.randomUUID()),
                    URI.create("https://example.com"),
                    FIRST,
                    List.of(),
                    Optional.of("a\u0000b"),
                    NOW))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void signsWithBothSecretsDuringTheGracePeriodOnly() {
    Endpoint rotated =
        endpoint(List.of()).withRotatedSecret(SECOND, NOW, NOW.plus(Duration.ofHours(1)));

    assertThat(rotated.signingSecretsAt(NOW)).containsExactly(SECOND, FIRST);
    assertThat(rotated.signingSecretsAt(NOW.plus(Duration.ofHours(1)))).containsExactly(SECOND);
  }

  @Test
  void letsOnlyTheSecretJustReplacedLinger() {
    Endpoint twice =
        endpoint(List.of())
            .withRotatedSecret(SECOND, NOW, NOW.plus(Duration.ofHours(1)))
            .withRotatedSecret(THIRD, NOW, NOW.plus(Duration.ofHours(1)));

    assertThat(twice.signingSecretsAt(NOW)).containsExactly(THIRD, SECOND);
  }

  @Test
  void rotatesWithoutGraceToTheNewSecretAlone() {
    Endpoint rotated = endpoint(List.of()).withRotatedSecret(SECOND, NOW, NOW);

    assertThat(rotated.previousSecret()).isEmpty();
    assertThat(rotated.signingSecretsAt(NOW)).containsExactly(SECOND);
  }

  @Test
  void neverPrintsItsSecrets() {
    Endpoint rotated =
        endpoint(List.of()).withRotatedSecret(SECOND, NOW, NOW.plus(Duration.ofHours(1)));

    assertThat(rotated.toString()).doesNotContain("whsec_");
  }

  private static Endpoint endpoint(List<EventTypeFilter> filters) {
    return Endpoint.created(
        new EndpointId(UUID.randomUUID()),
        URI.create("https://example.com/hook"),
        FIRST,
        filters,
        Optional.empty(),
        NOW);
  }
}
