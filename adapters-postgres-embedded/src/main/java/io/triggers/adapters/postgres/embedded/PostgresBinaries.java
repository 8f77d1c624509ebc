package io.triggers.adapters.postgres.embedded;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL programs ({@code initdb}, {@code pg_ctl}, {@code postgres}) packed in the server's
 * jar, unpacked once per archive into a directory of the user's own under the temporary directory
 * and shared by that user's servers. An archive is unpacked beside its final place and moved there
 * whole, so a directory in that place is always complete. The jar carries an archive for each of
 * {@link PostgresPlatform#SHIPPED} (a container image only its own); elsewhere the server refuses
 * to start in embedded mode and names the way out.
 */
final class PostgresBinaries {

  private final PostgresPlatform platform;
  private final Path home;

  private PostgresBinaries(PostgresPlatform platform, Path home) {
    this.platform = platform;
    this.home = home;
  }

  /**
   * The programs for this machine, unpacked if no earlier run did.
   *
   * @throws UnsupportedPlatformException if this build carries no PostgreSQL for this machine
   */
  static PostgresBinaries unpacked() {
    PostgresPlatform platform = PostgresPlatform.current();
    URL resource = archive(platform, PostgresBinaries.class.getClassLoader());
    try {
      byte[] archive;
      try (InputStream in = resource.openStream()) {
        archive = in.readAllBytes();
      }
      String digest = HexFormat.of().formatHex(sha256(archive), 0, 12);
      Path parent =
          privateDirectory(
              Path.of(System.getProperty("java.io.tmpdir")), System.getProperty("user.name"));
      Path home = parent.resolve(digest);
      if (!Files.isDirectory(home)) {
        unpack(archive, parent, home);
      }
      return new PostgresBinaries(platform, home);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack the embedded PostgreSQL", e);
    }
  }

  /**
   * The directory the programs are unpacked in, shared by this user's servers only. The server runs
   * what it finds there, so a directory that another user owns or may write in is never used:
   * whoever could have put programs in it could have the server run them.
   */
  static Path privateDirectory(Path temporary, String user) throws IOException {
    Path parent = temporary.resolve("triggers-postgres-" + user.replaceAll("[^A-Za-z0-9_.-]", "_"));
    boolean posix = parent.getFileSystem().supportedFileAttributeViews().contains("posix");
    if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
      if (posix) {
        Files.createDirectories(
            parent,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(parent);
      }
    }
    if (posix) {
      UserPrincipal owner = Files.getOwner(parent, LinkOption.NOFOLLOW_LINKS);
      Set<PosixFilePermission> permissions =
          Files.getPosixFilePermissions(parent, LinkOption.NOFOLLOW_LINKS);
      if (!owner.getName().equals(user)
          || permissions.contains(PosixFilePermission.GROUP_WRITE)
          || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
        throw new IOException(
            parent
                + " belongs to another user or others may write in it; remove it, or point"
                + " java.io.tmpdir elsewhere");
      }
    }
    return parent;
  }

  /** The path of one program, such as {@code pg_ctl}. */
  String program(String name) {
    return home.resolve("bin").resolve(platform.program(name)).toString();
  }

  /**
   * Where {@code resources} hold the archive of {@code platform}'s programs.
   *
   * @throws UnsupportedPlatformException if no PostgreSQL is shipped for that platform, or this
   *     build (such as a container image for another one) left it out
   */
  static URL archive(PostgresPlatform platform, ClassLoader resources) {
    if (!platform.shipped()) {
      throw new UnsupportedPlatformException(
          "no embedded PostgreSQL is shipped for "
              + platform
              + " (only for "
              + PostgresPlatform.SHIPPED
              + "); run a PostgreSQL of your own and give its address as TRIGGERS_DATABASE_URL");
    }
    URL archive = resources.getResource(platform.archive());
    if (archive == null) {
      throw new UnsupportedPlatformException(
          "this build of the server carries no embedded PostgreSQL for "
              + platform
              + " ("
              + platform.archive()
              + " is missing); use the server jar or image built for this machine, or run a"
              + " PostgreSQL of your own and give its address as TRIGGERS_DATABASE_URL");
    }
    return archive;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void unpack(byte[] archive, Path parent, Path home) throws IOException {
    Path staging = Files.createTempDirectory(parent, home.getFileName() + ".unpacking-");
    try {
      try (TarArchiveInputStream tar =
          new TarArchiveInputStream(
              new XZInputStream(new BufferedInputStream(new ByteArrayInputStream(archive))))) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          extract(tar, entry, staging);
        }
      }
      try {
        Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // Another server unpacked the same archive meanwhile; its copy is as good.
      }
    } finally {
      if (Files.exists(staging)) {
        deleteTree(staging);
      }
    }
  }

  private static void extract(TarArchiveInputStream tar, TarArchiveEntry entry, Path root)
      throws IOException {
    Path target = root.resolve(entry.getName()).normalize();
    if (!target.startsWith(root)) {
      throw new IOException("the PostgreSQL archive names a path outside it: " + entry.getName());
    }
    if (entry.isDirectory()) {
      Files.createDirectories(target);
      return;
    }
    Files.createDirectories(target.getParent());
    if (entry.isSymbolicLink()) {
      Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
    } else if (entry.isLink()) {
      Files.createLink(target, root.resolve(entry.getLinkName()).normalize());
    } else {
      Files.copy(tar, target);
      if ((entry.getMode() & 0111) != 0 || root.relativize(target).startsWith("bin")) {
        target.toFile().setExecutable(true, false);
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
