package io.triggers.adapters.postgres.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PostgresPlatformTest {

  @ParameterizedTest
  @CsvSource({
    "Linux, amd64, linux x86_64, postgres-linux-x86_64.txz",
    "Mac OS X, x86_64, darwin x86_64, postgres-darwin-x86_64.txz",
    "Mac OS X, aarch64, darwin arm_64, postgres-darwin-x86_64.txz",
    "Windows 11, amd64, windows x86_64, postgres-windows-x86_64.txz",
    "Windows Server 2022, x86_64, windows x86_64, postgres-windows-x86_64.txz"
  })
  void findsTheArchiveOfEachShippedPlatform(
      String osName, String osArch, String described, String archive) {
    PostgresPlatform platform = PostgresPlatform.of(osName, osArch, false);

    assertThat(platform).hasToString(described);
    assertThat(platform.shipped()).isTrue();
    assertThat(platform.archive()).isEqualTo(archive);
  }

  @Test
  void carriesTheArchiveOfEveryShippedPlatform() {
    ClassLoader resources = getClass().getClassLoader();

    for (PostgresPlatform platform : PostgresPlatform.SHIPPED) {
      URL archive = PostgresBinaries.archive(platform, resources);

      assertThat(archive.toString()).endsWith("/" + platform.archive());
    }
  }

  @Test
  void shipsLinuxAndWindowsOnX8664AndMacosOnBoth() {
    assertThat(PostgresPlatform.SHIPPED)
        .extracting(PostgresPlatform::toString)
        .containsExactlyInAnyOrder(
            "linux x86_64", "darwin x86_64", "darwin arm_64", "windows x86_64");
  }

  @ParameterizedTest
  @CsvSource({
    "Linux, aarch64, linux arm_64",
    "FreeBSD, amd64, freebsd x86_64",
    "Windows 11, aarch64, windows arm_64",
    "Linux, s390x, linux s390x",
    "Linux, x86, linux x86",
    "SunOS, sparcv9, sunos sparcv9"
  })
  void refusesAnUnshippedPlatformNamingTheDatabaseUrlAsTheWayOut(
      String osName, String osArch, String described) {
    PostgresPlatform platform = PostgresPlatform.of(osName, osArch, false);

    assertThat(platform.shipped()).isFalse();
    assertThatThrownBy(() -> PostgresBinaries.archive(platform, getClass().getClassLoader()))
        .isInstanceOf(UnsupportedPlatformException.class)
        .hasMessageContaining("no embedded PostgreSQL is shipped for " + described)
        .hasMessageContaining("TRIGGERS_DATABASE_URL");
  }

  @Test
  void refusesLinuxWithMuslSinceTheProgramsNeedGlibc() {
    PostgresPlatform alpine = PostgresPlatform.of("Linux", "amd64", true);

    assertThat(alpine.shipped()).isFalse();
    assertThatThrownBy(() -> PostgresBinaries.archive(alpine, getClass().getClassLoader()))
        .isInstanceOf(UnsupportedPlatformException.class)
        .hasMessageContaining("linux-musl x86_64")
        .hasMessageContaining("TRIGGERS_DATABASE_URL");
  }

  @Test
  void refusesAShippedPlatformWhoseArchiveThisBuildLeftOut() throws Exception {
    PostgresPlatform windows = PostgresPlatform.of("Windows 11", "amd64", false);

    try (URLClassLoader withoutArchives = new URLClassLoader(new URL[0], null)) {
      assertThatThrownBy(() -> PostgresBinaries.archive(windows, withoutArchives))
          .isInstanceOf(UnsupportedPlatformException.class)
          .hasMessageContaining("postgres-windows-x86_64.txz is missing")
          .hasMessageContaining("TRIGGERS_DATABASE_URL");
    }
  }

  @Test
  void runsWindowsProgramsByTheirExeName() {
    assertThat(PostgresPlatform.of("Windows 10", "amd64", false).program("pg_ctl"))
        .isEqualTo("pg_ctl.exe");
    assertThat(PostgresPlatform.of("Linux", "amd64", false).program("pg_ctl")).isEqualTo("pg_ctl");
  }
}
