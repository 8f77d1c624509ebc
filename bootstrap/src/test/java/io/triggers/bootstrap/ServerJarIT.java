package io.triggers.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

class ServerJarIT {

  /**
   * The most the server jar may weigh. The goal is 60 MB; the ICU data that each platform's
   * PostgreSQL links, one copy per platform, keeps it above that, so this only stops it growing.
   */
  private static final long MOST_BYTES = 80_000_000;

  @Test
  void carriesThePostgresqlOfExactlyTheShippedPlatforms() throws IOException {
    try (ZipFile jar = new ZipFile(RunningServer.JAR.toFile())) {
      assertThat(
              jar.stream()
                  .map(ZipEntry::getName)
                  .filter(name -> name.matches("(.*/)?postgres-.*\\.txz")))
          .containsExactlyInAnyOrder(
              "postgres-linux-x86_64.txz",
              "postgres-darwin-x86_64.txz",
              "postgres-windows-x86_64.txz");
    }
  }

  @Test
  void growsNoFurther() throws IOException {
    assertThat(Files.size(RunningServer.JAR)).isLessThanOrEqualTo(MOST_BYTES);
  }
}
