package io.triggers.adapters.postgres.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The embedded PostgreSQL's password, made at random on first start and kept in a file that only
 * its owner may read or write (mode 600), so that only the server and its operator can connect.
 */
final class PasswordFile {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The password and whether it was just made, so is not yet the database's. */
  record Password(String value, boolean made) {

    /** Never prints the password. */
    @Override
    public String toString() {
      return "Password[value=redacted, made=" + made + "]";
    }
  }

  private PasswordFile() {}

  /** Reads the password from {@code file}, or makes one and writes it there if there is none. */
  static Password readOrMake(Path file) {
    try {
      if (Files.exists(file)) {
        if (posix()) {
          Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
        String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (value.isEmpty()) {
          throw new DataDirectoryException(
              file + " is empty; delete it and a new password is made");
        }
        return new Password(value, false);
      }
      byte[] bytes = new byte[24];
      RANDOM.nextBytes(bytes);
      String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      // Written whole under another name and then renamed, so a crash never leaves half of it.
      Path staging =
          posix()
              ? Files.createTempFile(file.getParent(), ".password", ".tmp", attribute(OWNER_ONLY))
              : Files.createTempFile(file.getParent(), ".password", ".tmp");
      Files.writeString(staging, value + "\n", StandardCharsets.US_ASCII);
      Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE);
      return new Password(value, true);
    } catch (IOException e) {
      throw new DataDirectoryException(
          "cannot keep the database password in " + file + ": " + e.getMessage());
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> attribute(
      Set<PosixFilePermission> permissions) {
    return PosixFilePermissions.asFileAttribute(permissions);
  }
}
