package io.triggers.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostgresSettingsTest {

  @Test
  void keepsJdbcUrlAsGiven() {
    // when
    PostgresSettings settings =
        PostgresSettings.fromUrl("jdbc:postgresql://db:5433/triggers?user=app&password=s3cret");

    // then
    assertThat(settings.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db:5433/triggers?user=app&password=s3cret");
    assertThat(settings.user()).isEmpty();
    assertThat(settings.password()).isEmpty();
    assertThat(settings.maxBatchSize()).isEqualTo(PostgresSettings.DEFAULT_MAX_BATCH_SIZE);
  }

  @Test
  void turnsPostgresUrlIntoJdbcUrlWithCredentials() {
    // when
    PostgresSettings settings =
        PostgresSettings.fromUrl("postgres://app:s3cret@db.internal:6543/events?sslmode=require");

    // then
    assertThat(settings.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.internal:6543/events?sslmode=require");
    assertThat(settings.user()).isEqualTo("app");
    assertThat(settings.password()).isEqualTo("s3cret");
  }

  @Test
  void acceptsPostgresqlSchemeWithoutPortOrPassword() {
    // when
    PostgresSettings settings = PostgresSettings.fromUrl("postgresql://app@localhost/triggers");

    // then
    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/triggers");
    assertThat(settings.user()).isEqualTo("app");
    assertThat(settings.password()).isEmpty();
  }

  @Test
  void decodesPercentEscapedCredentialsAndKeepsPlusSigns() {
    // when
    PostgresSettings settings =
        PostgresSettings.fromUrl("postgres://us%40er:p%3Ass+w%2Fd@[::1]:5432/db");

    // then
    assertThat(settings.user()).isEqualTo("us@er");
    assertThat(settings.password()).isEqualTo("p:ss+w/d");
    assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/db");
  }

  @Test
  void refusesOtherSchemes() {
    assertThatThrownBy(() -> PostgresSettings.fromUrl("mysql://app@localhost/triggers"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PostgresSettings.fromUrl("postgres:///nohost"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesBatchSettingsOutOfRange() {
    assertThatThrownBy(
            () ->
                new PostgresSettings(
                    "jdbc:postgresql://localhost/db", "", "", 16, 0, Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new PostgresSettings(
                    "jdbc:postgresql://localhost/db", "", "", 16, 500, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new PostgresSettings(
                    "jdbc:postgresql://localhost/db", "", "", 1, 500, Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void changesOnlyThePoolSizeAndStillRefusesOneTooSmall() {
    PostgresSettings settings = PostgresSettings.fromUrl("postgres://app:s3cret@db:5432/x");

    PostgresSettings larger = settings.withMaxPoolSize(40);

    assertThat(larger.maxPoolSize()).isEqualTo(40);
    assertThat(larger.jdbcUrl()).isEqualTo(settings.jdbcUrl());
    assertThat(larger.user()).isEqualTo("app");
    assertThat(larger.password()).isEqualTo("s3cret");
    assertThat(larger.maxBatchSize()).isEqualTo(settings.maxBatchSize());
    assertThat(settings.withMaxPoolSize(PostgresSettings.MIN_POOL_SIZE).maxPoolSize())
        .isEqualTo(PostgresSettings.MIN_POOL_SIZE);
    assertThatThrownBy(() -> settings.withMaxPoolSize(PostgresSettings.MIN_POOL_SIZE - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxPoolSize must be at least " + PostgresSettings.MIN_POOL_SIZE);
  }

  @Test
  void neverPrintsPasswords() {
    // given
    PostgresSettings fromPostgresUrl = PostgresSettings.fromUrl("postgres://app:s3cret@db/x");
    PostgresSettings fromJdbcUrl =
        PostgresSettings.fromUrl("jdbc:postgresql://db/x?user=app&password=s3cret&ssl=true");

    // then
    assertThat(fromPostgresUrl.toString()).doesNotContain("s3cret").contains("app");
    assertThat(fromJdbcUrl.toString()).doesNotContain("s3cret").contains("ssl=true");
  }
}
