package io.triggers.adapters.postgres.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileTest {

  @TempDir Path directory;

  @Test
  void makesARandomPasswordReadableByItsOwnerAlone() throws Exception {
    // given
    Path file = directory.resolve("postgres.password");

    // when
    PasswordFile.Password password = PasswordFile.readOrMake(file);

    // then
    assertThat(password.made()).isTrue();
    assertThat(password.value()).matches("[A-Za-z0-9_-]{32}");
    assertThat(Files.readString(file).strip()).isEqualTo(password.value());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var files = Files.list(directory)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void readsThePasswordItMadeBefore() {
    // given
    Path file = directory.resolve("postgres.password");
    PasswordFile.Password made = PasswordFile.readOrMake(file);

    // when
    PasswordFile.Password read = PasswordFile.readOrMake(file);

    // then
    assertThat(read).isEqualTo(new PasswordFile.Password(made.value(), false));
  }

  @Test
  void makesTwoFilesTwoDifferentPasswords() {
    // when
    PasswordFile.Password first = PasswordFile.readOrMake(directory.resolve("first"));
    PasswordFile.Password second = PasswordFile.readOrMake(directory.resolve("second"));

    // then
    assertThat(first.value()).isNotEqualTo(second.value());
  }

  @Test
  void takesBackWhatOthersMayDoWithAnExistingFile() throws Exception {
    // given
    Path file = directory.resolve("postgres.password");
    Files.writeString(file, "secret\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));

    // when
    PasswordFile.Password read = PasswordFile.readOrMake(file);

    // then
    assertThat(read.value()).isEqualTo("secret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void refusesAnEmptyFile() throws Exception {
    // given
    Path file = directory.resolve("postgres.password");
    Files.writeString(file, "\n");

    // when / then
    assertThatThrownBy(() -> PasswordFile.readOrMake(file))
        .isInstanceOf(DataDirectoryException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void neverPrintsThePassword() {
    // when
    PasswordFile.Password password = PasswordFile.readOrMake(directory.resolve("p"));

    // then
    assertThat(password.toString()).doesNotContain(password.value());
  }
}
