package io.triggers.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsParserTest {

  @Test
  void usesTheDocumentedDefaultsWithoutAnyConfiguration() {
    Settings settings = SettingsParser.parse(Map.of(), List.of());

    assertThat(settings.port()).isEqualTo(8080);
    assertThat(settings.host()).isEqualTo("0.0.0.0");
    assertThat(settings.databaseUrl()).isEmpty();
    assertThat(settings.redisUrl()).isEmpty();
    assertThat(settings.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(settings.adminToken()).isEmpty();
    assertThat(settings.maxBodyBytes()).isEqualTo(262_144);
    assertThat(settings.retention()).isEqualTo(Duration.ofDays(7));
    assertThat(settings.webhookAllowPrivate()).isFalse();
    assertThat(settings.maxBodyMemoryBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(settings.bodyReadTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.logs()).isEqualTo(LogSettings.DEFAULT);
  }

  @Test
  void readsTheLogLevelFormatAndAccessLogInAnyCase() {
    Settings settings =
        SettingsParser.parse(
            Map.of("TRIGGERS_LOG_LEVEL", "DEBUG", "TRIGGERS_LOG_FORMAT", "Json"),
            List.of("--access-log", "true"));

    assertThat(settings.logs())
        .isEqualTo(new LogSettings(LogSettings.Level.DEBUG, LogSettings.Format.JSON, true));
  }

  @Test
  void refusesALogLevelOrFormatItDoesNotKnow() {
    assertThatThrownBy(() -> SettingsParser.parse(Map.of("TRIGGERS_LOG_LEVEL", "loud"), List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("--log-level must be one of trace, debug, info, warn, error or off, not loud");
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--log-format", "xml")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("--log-format must be text or json");
    assertThatThrownBy(() -> SettingsParser.parse(Map.of("TRIGGERS_ACCESS_LOG", "on"), List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("--access-log must be true or false");
  }

  @Test
  void readsTheInboxLeaseCapWithTenByDefault() {
    assertThat(SettingsParser.parse(Map.of(), List.of()).inboxMaxLeases()).isEqualTo(10);
    assertThat(
            SettingsParser.parse(Map.of("TRIGGERS_INBOX_MAX_LEASES", "3"), List.of())
                .inboxMaxLeases())
        .isEqualTo(3);
    assertThat(SettingsParser.parse(Map.of(), List.of("--inbox-max-leases=25")).inboxMaxLeases())
        .isEqualTo(25);
    assertThat(SettingsParser.usage()).contains("--inbox-max-leases", "TRIGGERS_INBOX_MAX_LEASES");
  }

  @Test
  void readsHowLongAnEndpointMayFailWithFiveDaysByDefault() {
    assertThat(SettingsParser.parse(Map.of(), List.of()).endpointDisableAfter())
        .isEqualTo(Duration.ofDays(5));
    assertThat(
            SettingsParser.parse(Map.of("TRIGGERS_ENDPOINT_DISABLE_AFTER", "2s"), List.of())
                .endpointDisableAfter())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(
            SettingsParser.parse(Map.of(), List.of("--endpoint-disable-after=12h"))
                .endpointDisableAfter())
        .isEqualTo(Duration.ofHours(12));
    assertThat(SettingsParser.usage())
        .contains("--endpoint-disable-after", "TRIGGERS_ENDPOINT_DISABLE_AFTER");
  }

  @Test
  void readsAfterHowManyFailuresToBackOffFromAnEndpointWithThreeByDefaultAndZeroForNever() {
    assertThat(SettingsParser.parse(Map.of(), List.of()).endpointBackoffAfter()).isEqualTo(3);
    assertThat(
            SettingsParser.parse(Map.of("TRIGGERS_ENDPOINT_BACKOFF_AFTER", "0"), List.of())
                .endpointBackoffAfter())
        .isZero();
    assertThat(
            SettingsParser.parse(Map.of(), List.of("--endpoint-backoff-after=10"))
                .endpointBackoffAfter())
        .isEqualTo(10);
    assertThatThrownBy(
            () -> SettingsParser.parse(Map.of(), List.of("--endpoint-backoff-after", "-1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("--endpoint-backoff-after must be between 0 (never back off) and 1000, not -1");
    assertThat(SettingsParser.usage())
        .contains("--endpoint-backoff-after", "TRIGGERS_ENDPOINT_BACKOFF_AFTER");
  }

  @Test
  void refusesAnEndpointDisablePeriodThatIsNoDurationOrOutOfRange() {
    assertThatThrownBy(
            () ->
                SettingsParser.parse(Map.of("TRIGGERS_ENDPOINT_DISABLE_AFTER", "soon"), List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "--endpoint-disable-after must be a number followed by s, m, h or d (like 7d), not"
                + " soon");
    assertThatThrownBy(
            () -> SettingsParser.parse(Map.of(), List.of("--endpoint-disable-after", "0s")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("--endpoint-disable-after must be between 1s and 365d, not PT0S");
    assertThatThrownBy(
            () -> SettingsParser.parse(Map.of(), List.of("--endpoint-disable-after", "400d")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("--endpoint-disable-after must be between 1s and 365d");
  }

  @Test
  void refusesAnInboxLeaseCapOutsideItsRange() {
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--inbox-max-leases", "0")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("--inbox-max-leases must be between 1 and 1000, not 0");
    assertThatThrownBy(
            () -> SettingsParser.parse(Map.of("TRIGGERS_INBOX_MAX_LEASES", "many"), List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("--inbox-max-leases must be a whole number, not many");
  }

  @Test
  void keepsTheLibrariesAtWarningsUnlessDebugging() {
    assertThat(LogSettings.Level.INFO.libraries()).isEqualTo(LogSettings.Level.WARN);
    assertThat(LogSettings.Level.DEBUG.libraries()).isEqualTo(LogSettings.Level.DEBUG);
    assertThat(LogSettings.Level.TRACE.libraries()).isEqualTo(LogSettings.Level.TRACE);
    assertThat(LogSettings.Level.ERROR.libraries()).isEqualTo(LogSettings.Level.ERROR);
  }

  @Test
  void readsTheBodyMemoryAndTheBodyReadTimeout() {
    Settings settings =
        SettingsParser.parse(
            Map.of("TRIGGERS_MAX_BODY_MEMORY", "1048576"), List.of("--body-read-timeout", "5s"));

    assertThat(settings.maxBodyMemoryBytes()).isEqualTo(1_048_576);
    assertThat(settings.bodyReadTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void refusesBodyMemoryTooSmallForTheLargestBodyAndATimeoutOfNothing() {
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--max-body-memory", "262143")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("--max-body-memory must be at least --max-body-bytes");
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--max-body-memory", "lots")))
        .hasMessageContaining("--max-body-memory must be a whole number");
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--body-read-timeout", "0s")))
        .hasMessageContaining("--body-read-timeout must be at least 1s");
  }

  @Test
  void readsEnvironmentVariables() {
    Settings settings =
        SettingsParser.parse(
            Map.of(
                "TRIGGERS_PORT", "9090",
                "TRIGGERS_DATABASE_URL", "postgres://u:p@db:5432/triggers",
                "TRIGGERS_RETENTION", "12h",
                "TRIGGERS_WEBHOOK_ALLOW_PRIVATE", "true"),
            List.of());

    assertThat(settings.port()).isEqualTo(9090);
    assertThat(settings.databaseUrl()).contains("postgres://u:p@db:5432/triggers");
    assertThat(settings.retention()).isEqualTo(Duration.ofHours(12));
    assertThat(settings.webhookAllowPrivate()).isTrue();
  }

  @Test
  void flagsWinOverEnvironmentVariablesInBothSpellings() {
    Settings settings =
        SettingsParser.parse(
            Map.of("TRIGGERS_PORT", "9090", "TRIGGERS_ADMIN_TOKEN", "from-env"),
            List.of("--port", "7070", "--admin-token=from-flag"));

    assertThat(settings.port()).isEqualTo(7070);
    assertThat(settings.adminToken()).contains("from-flag");
  }

  @Test
  void refusesUnknownFlagsAndBadValuesWithAnExplanation() {
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--prot", "1")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown option --prot");
    assertThatThrownBy(() -> SettingsParser.parse(Map.of("TRIGGERS_PORT", "eighty"), List.of()))
        .hasMessageContaining("--port must be a whole number");
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--retention", "7 days")))
        .hasMessageContaining("--retention must be a number followed by");
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--port")))
        .hasMessageContaining("--port needs a value");
  }

  @Test
  void readsTheMetricsPortAndToken() {
    Settings settings =
        SettingsParser.parse(
            Map.of("TRIGGERS_METRICS_PORT", "9464"), List.of("--metrics-token", "scrape-me"));

    assertThat(settings.metricsPort()).hasValue(9464);
    assertThat(settings.metricsToken()).contains("scrape-me");
    assertThat(SettingsParser.parse(Map.of(), List.of()).metricsPort()).isEmpty();
    assertThat(SettingsParser.parse(Map.of(), List.of()).metricsToken()).isEmpty();
  }

  @Test
  void refusesAMetricsPortOutOfRangeOrTheSameAsTheHttpPort() {
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--metrics-port", "70000")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("--metrics-port must be between 0 and 65535");
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--metrics-port", "8080")))
        .hasMessageContaining("--metrics-port must differ from --port");
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--metrics-port", "nine")))
        .hasMessageContaining("--metrics-port must be a whole number");
    assertThat(
            SettingsParser.parse(Map.of(), List.of("--port", "0", "--metrics-port", "0"))
                .metricsPort())
        .hasValue(0);
  }

  @Test
  void usageListsEveryOptionWithItsVariable() {
    String usage = SettingsParser.usage();

    for (Option option : Option.values()) {
      assertThat(usage).contains(option.flag()).contains(option.environmentVariable());
    }
  }

  @Test
  void usesTheDocumentedDefaultsForThePoolDeliveriesAndWebhookTimeout() {
    Settings settings = SettingsParser.parse(Map.of(), List.of());

    assertThat(settings.databasePoolSize()).isEqualTo(16);
    assertThat(settings.deliveryConcurrency()).isEqualTo(512);
    assertThat(settings.deliveryConcurrencyPerOrganization()).isEqualTo(4);
    assertThat(settings.webhookTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void readsThePoolDeliveryAndWebhookTimeoutSettings() {
    Settings settings =
        SettingsParser.parse(
            Map.of("TRIGGERS_DATABASE_POOL_SIZE", "40", "TRIGGERS_DELIVERY_CONCURRENCY", "64"),
            List.of("--delivery-concurrency-per-org", "8", "--webhook-timeout=30s"));

    assertThat(settings.databasePoolSize()).isEqualTo(40);
    assertThat(settings.deliveryConcurrency()).isEqualTo(64);
    assertThat(settings.deliveryConcurrencyPerOrganization()).isEqualTo(8);
    assertThat(settings.webhookTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void refusesPoolSizesOutsideTheirRange() {
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--database-pool-size", "2")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("--database-pool-size must be between 3 and 1000, not 2");
    assertThatThrownBy(
            () -> SettingsParser.parse(Map.of("TRIGGERS_DATABASE_POOL_SIZE", "1001"), List.of()))
        .hasMessage("--database-pool-size must be between 3 and 1000, not 1001");
    assertThatThrownBy(
            () -> SettingsParser.parse(Map.of(), List.of("--database-pool-size", "many")))
        .hasMessageContaining("--database-pool-size must be a whole number");
  }

  @Test
  void refusesDeliveryConcurrencyOutsideItsRangeAndPerOrganizationAboveTheOverall() {
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--delivery-concurrency", "0")))
        .hasMessage("--delivery-concurrency must be between 1 and 1024, not 0");
    assertThatThrownBy(
            () -> SettingsParser.parse(Map.of(), List.of("--delivery-concurrency", "1025")))
        .hasMessage("--delivery-concurrency must be between 1 and 1024, not 1025");
    assertThatThrownBy(
            () -> SettingsParser.parse(Map.of(), List.of("--delivery-concurrency-per-org", "0")))
        .hasMessageContaining("--delivery-concurrency-per-org must be between 1 and");
    assertThatThrownBy(
            () ->
                SettingsParser.parse(
                    Map.of("TRIGGERS_DELIVERY_CONCURRENCY", "8"),
                    List.of("--delivery-concurrency-per-org", "9")))
        .hasMessage(
            "--delivery-concurrency-per-org must be between 1 and --delivery-concurrency (8),"
                + " not 9");
  }

  @Test
  void refusesAWebhookTimeoutOutsideItsRange() {
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--webhook-timeout", "0s")))
        .hasMessage("--webhook-timeout must be between 1s and 60s");
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--webhook-timeout", "61s")))
        .hasMessage("--webhook-timeout must be between 1s and 60s");
    assertThat(SettingsParser.parse(Map.of(), List.of("--webhook-timeout", "1m")).webhookTimeout())
        .isEqualTo(Duration.ofSeconds(60));
    assertThatThrownBy(() -> SettingsParser.parse(Map.of(), List.of("--webhook-timeout", "10")))
        .hasMessageContaining("--webhook-timeout must be a number followed by s, m, h or d");
  }

  @Test
  void showsWhetherSecretsAreSetButNeverTheirValues() {
    Settings settings =
        SettingsParser.parse(
            Map.of(
                "TRIGGERS_ADMIN_TOKEN", "admin-S3cret",
                "TRIGGERS_DATABASE_URL", "postgres://app:db-S3cret@db/triggers",
                "TRIGGERS_REDIS_URL", "redis://:redis-S3cret@cache:6379"),
            List.of());

    assertThat(settings.toString())
        .contains("adminToken=set", "databaseUrl=set", "redisUrl=set")
        .doesNotContain("admin-S3cret", "db-S3cret", "redis-S3cret");
    for (var component : Settings.class.getRecordComponents()) {
      assertThat(settings.toString()).contains(component.getName() + "=");
    }
  }

  @Test
  void leavesMigrateOnlyToItsOwnQuestionAndListsItInTheUsage() {
    List<String> args = List.of("--port", "9090", "--migrate-only");

    assertThat(SettingsParser.wantsMigrateOnly(args)).isTrue();
    assertThat(SettingsParser.wantsMigrateOnly(List.of("--port", "9090"))).isFalse();
    assertThat(SettingsParser.parse(Map.of(), args).port()).isEqualTo(9090);
    assertThat(SettingsParser.usage()).contains("--migrate-only", "--help");
  }
}
