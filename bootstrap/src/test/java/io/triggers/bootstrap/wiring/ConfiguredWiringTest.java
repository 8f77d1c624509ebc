package io.triggers.bootstrap.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.triggers.adapters.postgres.PostgresSettings;
import io.triggers.bootstrap.config.ConfigurationException;
import io.triggers.bootstrap.config.Settings;
import io.triggers.bootstrap.config.SettingsParser;
import io.triggers.core.delivery.DeliveryLimits;
import io.triggers.core.memory.SystemHostResolver;
import io.triggers.core.policy.WebhookTargetRules;
import io.triggers.core.port.out.WebhookSender;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pool, delivery and webhook settings reach what the modules build. */
class ConfiguredWiringTest {

  @TempDir Path directory;

  @Test
  void givesTheExternalDatabaseThePoolSizeAsked() {
    Settings settings =
        SettingsParser.parse(
            Map.of("TRIGGERS_DATABASE_URL", "postgres://app:pw@db:5432/triggers"),
            List.of("--database-pool-size", "40"));

    PostgresSettings postgres = StorageModule.postgresSettings(Optional.empty(), settings);

    assertThat(postgres.maxPoolSize()).isEqualTo(40);
    assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/triggers");
  }

  @Test
  void refusesAPoolLargerThanTheEmbeddedDatabaseAcceptsBeforeTouchingTheDataDirectory() {
    Path data = directory.resolve("data");
    Settings settings =
        SettingsParser.parse(
            Map.of(), List.of("--data-dir", data.toString(), "--database-pool-size", "91"));

    try (Resources resources = new Resources()) {
      assertThatThrownBy(() -> StorageModule.embeddedPostgres(Mode.EMBEDDED, settings, resources))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("TRIGGERS_DATABASE_POOL_SIZE is at most 90");
    }
    assertThat(data).doesNotExist();
  }

  @Test
  void sendsWebhooksWithTheTimeoutAskedAndLeasesClaimsLongerThanIt() {
    Settings settings = SettingsParser.parse(Map.of(), List.of("--webhook-timeout", "60s"));

    try (Resources resources = new Resources()) {
      WebhookSender sender =
          DeliveryModule.webhookSender(
              settings,
              Clock.systemUTC(),
              new WebhookTargetRules(new SystemHostResolver(), false),
              resources);

      assertThat(sender.timeout()).isEqualTo(Duration.ofSeconds(60));
      assertThat(DeliveryModule.claimLease(sender.timeout())).isGreaterThan(sender.timeout());
    }
    assertThat(DeliveryModule.claimLease(Duration.ofSeconds(10)))
        .as("the lease with the default timeout")
        .isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void limitsDeliveriesAsAskedAndKeepsTheOtherStandardLimits() {
    Settings settings =
        SettingsParser.parse(
            Map.of(),
            List.of("--delivery-concurrency", "64", "--delivery-concurrency-per-org", "2"));

    DeliveryLimits limits = DeliveryModule.deliveryLimits(settings);

    DeliveryLimits standard = DeliveryLimits.standard();
    assertThat(limits.overall()).isEqualTo(64);
    assertThat(limits.perOrganization()).isEqualTo(2);
    assertThat(limits.backlog()).isEqualTo(standard.backlog());
    assertThat(limits.backlogPerOrganization()).isEqualTo(standard.backlogPerOrganization());
    assertThat(limits.takeBatch()).isEqualTo(standard.takeBatch());
    assertThat(limits.sweepInterval()).isEqualTo(standard.sweepInterval());
  }
}
