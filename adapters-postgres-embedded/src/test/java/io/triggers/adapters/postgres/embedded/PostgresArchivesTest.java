package io.triggers.adapters.postgres.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.XZInputStream;

/**
 * The archives the build repacks (src/build/SlimPostgres.java) for the platforms these tests cannot
 * run on: what the server runs is still in them, and what it never runs is gone.
 */
class PostgresArchivesTest {

  @Test
  void keepsTheProgramsAndWhatInitdbReadsOnEveryShippedPlatform() throws IOException {
    for (PostgresPlatform platform : PostgresPlatform.SHIPPED) {
      List<String> paths = paths(platform);
      String share = "windows".equals(platform.system()) ? "share/" : "share/postgresql/";

      assertThat(paths)
          .as(platform.toString())
          .contains(
              "bin/" + platform.program("initdb"),
              "bin/" + platform.program("pg_ctl"),
              "bin/" + platform.program("postgres"),
              share + "postgres.bki",
              share + "extension/plpgsql.control")
          .anyMatch(path -> path.matches("lib/(postgresql/)?plpgsql\\.(so|dylib|dll)"))
          .anyMatch(path -> path.matches("lib/(postgresql/)?dict_snowball\\.(so|dylib|dll)"))
          .anyMatch(path -> path.matches("(lib|bin)/(libicudata|icudt).*"));
    }
  }

  @Test
  void leavesOutWhatTheServerNeverRunsOnMacosAndWindows() throws IOException {
    Pattern neverRun =
        Pattern.compile(
            "include/.*|.*\\.a|.*\\.lib|share/locale/.*|bin/wx.*|lib/(postgresql/)?(hstore|plperl|postgres_fdw)\\..*|.*llvmjit.*");
    for (PostgresPlatform platform :
        List.of(
            PostgresPlatform.of("Mac OS X", "aarch64", false),
            PostgresPlatform.of("Windows 11", "amd64", false))) {
      assertThat(paths(platform))
          .as(platform.toString())
          .noneMatch(path -> neverRun.matcher(path).matches());
    }
  }

  private List<String> paths(PostgresPlatform platform) throws IOException {
    List<String> paths = new ArrayList<>();
    try (InputStream in =
            PostgresBinaries.archive(platform, getClass().getClassLoader()).openStream();
        TarArchiveInputStream tar =
            new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(in)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        paths.add(entry.getName().replaceFirst("^\\./", ""));
      }
    }
    return paths;
  }
}
