package io.triggers.adapters.postgres.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A machine the embedded PostgreSQL may run on, named as its archive in the server's jar is ({@code
 * postgres-linux-x86_64.txz}). The jar carries only the {@link #SHIPPED} platforms, those people
 * run the server on, since each archive adds megabytes to it; elsewhere the server needs a
 * PostgreSQL of the operator's own. The macOS archive is a universal build, one for both
 * architectures.
 */
record PostgresPlatform(String system, String architecture) {

  /** The platforms whose PostgreSQL the server jar carries. */
  static final List<PostgresPlatform> SHIPPED =
      List.of(
          new PostgresPlatform("linux", "x86_64"),
          new PostgresPlatform("darwin", "x86_64"),
          new PostgresPlatform("darwin", "arm_64"),
          new PostgresPlatform("windows", "x86_64"));

  /** This machine, as the JVM and its C library tell. */
  static PostgresPlatform current() {
    return of(System.getProperty("os.name"), System.getProperty("os.arch"), muslLibc());
  }

  /**
   * The platform of a JVM that reports {@code osName} and {@code osArch}. The Linux programs are
   * linked against glibc, so a Linux with musl (Alpine) is a platform of its own.
   */
  static PostgresPlatform of(String osName, String osArch, boolean musl) {
    String name = osName.toLowerCase(Locale.ROOT);
    String system;
    if (name.startsWith("windows")) {
      system = "windows";
    } else if (name.startsWith("mac") || name.startsWith("darwin")) {
      system = "darwin";
    } else if (name.equals("linux")) {
      system = musl ? "linux-musl" : "linux";
    } else {
      system = name.replaceAll("[^a-z0-9]+", "_");
    }
    return new PostgresPlatform(system, architecture(osArch));
  }

  /** Whether a PostgreSQL for this platform is among those the server jar carries. */
  boolean shipped() {
    return SHIPPED.contains(this);
  }

  /** The archive of this platform's programs, as a resource name. */
  String archive() {
    // The macOS programs are universal binaries, named after the first architecture they served.
    String archived = "darwin".equals(system) ? "x86_64" : architecture;
    return "postgres-" + system + "-" + archived + ".txz";
  }

  /** The file name of a program such as {@code pg_ctl} on this platform. */
  String program(String name) {
    return "windows".equals(system) ? name + ".exe" : name;
  }

  @Override
  public String toString() {
    return system + " " + architecture;
  }

  private static String architecture(String osArch) {
    String arch = osArch.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "");
    if (arch.matches("x8664|amd64|x64|em64t|ia32e")) {
      return "x86_64";
    }
    if (arch.matches("aarch64|arm64|armv8.*")) {
      return "arm_64";
    }
    return arch;
  }

  private static boolean muslLibc() {
    // Alpine and its kin have a musl dynamic loader and no glibc one.
    try (Stream<Path> lib = Files.list(Path.of("/lib"))) {
      return lib.anyMatch(path -> path.getFileName().toString().startsWith("ld-musl-"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
