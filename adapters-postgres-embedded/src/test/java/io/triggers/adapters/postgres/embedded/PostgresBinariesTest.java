package io.triggers.adapters.postgres.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {

  private static final String USER = System.getProperty("user.name");

  @TempDir Path temporary;

  @BeforeEach
  void onlyWherePermissionsAreKept() {
    assumeThat(temporary.getFileSystem().supportedFileAttributeViews()).contains("posix");
  }

  @Test
  void makesADirectoryOnlyItsUserMayEnter() throws IOException {
    Path directory = PostgresBinaries.privateDirectory(temporary, USER);

    assertThat(directory.getFileName().toString()).isEqualTo("triggers-postgres-" + USER);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
        .isEqualTo("rwx------");
  }

  @Test
  void usesItsOwnDirectoryAgain() throws IOException {
    Path first = PostgresBinaries.privateDirectory(temporary, USER);

    assertThat(PostgresBinaries.privateDirectory(temporary, USER)).isEqualTo(first);
  }

  @Test
  void refusesADirectoryOthersMayWriteIn() throws IOException {
    Path planted = temporary.resolve("triggers-postgres-" + USER);
    Files.createDirectory(planted);
    Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxrwxrwx"));

    assertThatThrownBy(() -> PostgresBinaries.privateDirectory(temporary, USER))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("others may write in it");
  }

  @Test
  void refusesADirectoryOfAnotherUser() throws IOException {
    Files.createDirectory(temporary.resolve("triggers-postgres-someone-else"));

    assertThatThrownBy(() -> PostgresBinaries.privateDirectory(temporary, "someone-else"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("belongs to another user");
  }
}
