package io.triggers.bootstrap.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

  private static final String SECRET = "s3cret-Token_value";

  @TempDir Path dir;

  @Test
  void readsEachSecretFromItsFileWithoutTheTrailingLineBreak() throws Exception {
    // given
    Path token = write("token", SECRET + "\n");
    Path database = write("database", "postgres://app:p%40ss@db:5432/triggers\r\n");
    Path redis = write("redis", "redis://:hunter2@cache:6379");

    // when
    Settings settings =
        SettingsParser.parse(
            Map.of(
                "TRIGGERS_ADMIN_TOKEN_FILE", token.toString(),
                "TRIGGERS_DATABASE_URL_FILE", database.toString(),
                "TRIGGERS_REDIS_URL_FILE", redis.toString()),
            List.of());

    // then
    assertThat(settings.adminToken()).contains(SECRET);
    assertThat(settings.databaseUrl()).contains("postgres://app:p%40ss@db:5432/triggers");
    assertThat(settings.redisUrl()).contains("redis://:hunter2@cache:6379");
  }

  @Test
  void readsTheMetricsTokenFromItsFile() throws Exception {
    Path token = write("metrics-token", SECRET + "\n");

    Settings settings =
        SettingsParser.parse(Map.of("TRIGGERS_METRICS_TOKEN_FILE", token.toString()), List.of());

    assertThat(settings.metricsToken()).contains(SECRET);
  }

  @Test
  void takesTheFileFromItsFlagToo() throws Exception {
    Path token = write("token", SECRET + "\n");

    Settings settings =
        SettingsParser.parse(Map.of(), List.of("--admin-token-file", token.toString()));

    assertThat(settings.adminToken()).contains(SECRET);
  }

  @Test
  void refusesASecretGivenBothAsAValueAndAsAFile() throws Exception {
    Path token = write("token", SECRET);

    assertThatThrownBy(
            () ->
                SettingsParser.parse(
                    Map.of(
                        "TRIGGERS_ADMIN_TOKEN",
                        "other-Secret-Value",
                        "TRIGGERS_ADMIN_TOKEN_FILE",
                        token.toString()),
                    List.of()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("TRIGGERS_ADMIN_TOKEN (--admin-token)")
        .hasMessageContaining("TRIGGERS_ADMIN_TOKEN_FILE (--admin-token-file)")
        .hasMessageContaining("both set")
        .message()
        .doesNotContain(SECRET, "other-Secret-Value");
    assertThatThrownBy(
            () ->
                SettingsParser.parse(
                    Map.of("TRIGGERS_DATABASE_URL_FILE", token.toString()),
                    List.of("--database-url", "postgres://u:p@db/triggers")))
        .hasMessageContaining("TRIGGERS_DATABASE_URL (--database-url)")
        .hasMessageContaining("both set");
    assertThatThrownBy(
            () ->
                SettingsParser.parse(
                    Map.of("TRIGGERS_REDIS_URL", "redis://cache:6379"),
                    List.of("--redis-url-file=" + token)))
        .hasMessageContaining("TRIGGERS_REDIS_URL_FILE (--redis-url-file)")
        .hasMessageContaining("both set");
  }

  @Test
  void namesAMissingFileAndSaysWhy() {
    Path missing = dir.resolve("no-such-token");

    assertThatThrownBy(() -> parseToken(missing))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("TRIGGERS_ADMIN_TOKEN_FILE: " + missing + " cannot be read: no such file");
  }

  @Test
  void namesAFileItMayNotRead() throws Exception {
    // Root reads any file whatever its mode, so only another user can see this refusal.
    assumeThat(System.getProperty("user.name")).isNotEqualTo("root");
    Path token = write("token", SECRET);
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("---------"));

    assertThatThrownBy(() -> parseToken(token))
        .hasMessage("TRIGGERS_ADMIN_TOKEN_FILE: " + token + " cannot be read: permission denied");
  }

  @Test
  void refusesADirectoryAndAPathThroughAFile() throws Exception {
    Path token = write("token", SECRET);

    assertThatThrownBy(() -> parseToken(dir)).hasMessageContaining("is a directory");
    assertThatThrownBy(() -> parseToken(token.resolve("inside")))
        .hasMessageStartingWith("TRIGGERS_ADMIN_TOKEN_FILE: " + token.resolve("inside"))
        .hasMessageContaining("cannot be read")
        .message()
        .doesNotContain(SECRET);
  }

  @Test
  void refusesAnEmptyFileAndOneOfBlankLines() throws Exception {
    Path empty = write("empty", "");
    Path blank = write("blank", " \n\n");

    assertThatThrownBy(() -> parseToken(empty))
        .hasMessage("TRIGGERS_ADMIN_TOKEN_FILE: " + empty + " is empty, or holds only white space");
    assertThatThrownBy(() -> parseToken(blank)).hasMessageContaining(blank + " is empty");
  }

  @Test
  void refusesSeveralLinesWithoutPrintingAnyOfThem() throws Exception {
    Path twoLines = write("two-lines", SECRET + "\nsecond-" + SECRET + "\n");

    assertThatThrownBy(() -> parseToken(twoLines))
        .hasMessageContaining(twoLines + " holds more than one line")
        .message()
        .doesNotContain(SECRET);
  }

  @Test
  void refusesAFileTooLargeForASecretAndOneThatIsNotText() throws Exception {
    Path large = write("large", SECRET.repeat(10_000));
    Path binary = dir.resolve("binary");
    Files.write(binary, new byte[] {'s', (byte) 0xC3, (byte) 0x28, 'x'});

    assertThatThrownBy(() -> parseToken(large))
        .hasMessageContaining(large + " is larger than 65536 bytes")
        .message()
        .doesNotContain(SECRET);
    assertThatThrownBy(() -> parseToken(binary)).hasMessageContaining(binary + " is not UTF-8");
  }

  @Test
  void ignoresAnEmptyFileVariableAsIfUnset() {
    Settings settings =
        SettingsParser.parse(
            Map.of("TRIGGERS_ADMIN_TOKEN", SECRET, "TRIGGERS_ADMIN_TOKEN_FILE", ""), List.of());

    assertThat(settings.adminToken()).contains(SECRET);
  }

  private Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  private static Settings parseToken(Path file) {
    return SettingsParser.parse(Map.of("TRIGGERS_ADMIN_TOKEN_FILE", file.toString()), List.of());
  }
}
