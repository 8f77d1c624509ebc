package io.triggers.adapters.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.core.model.Organization;
import io.triggers.core.model.OrganizationId;
import io.triggers.core.model.OrganizationName;
import io.triggers.core.model.Tier;
import io.undertow.server.HttpServerExchange;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class RequestLogTest {

  private final Organization organization =
      new Organization(
          new OrganizationId(UUID.fromString("d17b6a45-0d5b-4955-ae87-dfde07ebe84a")),
          new OrganizationName("Acme"),
          Tier.ENTERPRISE,
          Instant.parse("2026-01-01T00:00:00Z"));

  @AfterEach
  void clear() {
    MDC.clear();
  }

  @Test
  void writesTheMillisecondFractionAsThreeDigitsAsAFormatWould() {
    for (long value = 0; value < 1_000; value++) {
      assertThat(RequestLog.threeDigits(value))
          .isEqualTo(String.format(Locale.ROOT, "%03d", value));
    }
  }

  @Test
  void holdsTheIdsWhileTheRequestIsHandledAndRemovesThemAfter() {
    // given
    HttpServerExchange exchange = new HttpServerExchange(null);
    Map<String, String> during = new HashMap<>();

    // when
    RequestLog.within(
        exchange,
        "req-1",
        Optional.of(organization),
        () -> during.putAll(MDC.getCopyOfContextMap()));

    // then
    assertThat(during)
        .isEqualTo(
            Map.of(
                RequestLog.REQUEST_ID,
                "req-1",
                RequestLog.ORGANIZATION_ID,
                "d17b6a45-0d5b-4955-ae87-dfde07ebe84a"));
    assertThat(MDC.get(RequestLog.REQUEST_ID)).isNull();
    assertThat(MDC.get(RequestLog.ORGANIZATION_ID)).isNull();
  }

  @Test
  void removesTheIdsWhenTheHandlingFails() {
    // given
    HttpServerExchange exchange = new HttpServerExchange(null);

    // when
    assertThatThrownBy(
            () ->
                RequestLog.within(
                    exchange,
                    "req-2",
                    Optional.of(organization),
                    () -> {
                      throw new IllegalStateException("broken on purpose");
                    }))
        .hasMessage("broken on purpose");

    // then
    assertThat(MDC.get(RequestLog.REQUEST_ID)).isNull();
    assertThat(MDC.get(RequestLog.ORGANIZATION_ID)).isNull();
  }
}
