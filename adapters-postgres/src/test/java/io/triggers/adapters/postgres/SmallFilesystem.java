package io.triggers.adapters.postgres;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a directory, for a PostgreSQL data directory whose disk can be filled
 * and freed again; shared with the packaged server's tests. A test on a machine where it cannot be
 * mounted is skipped, not failed.
 */
public final class SmallFilesystem {

  /** Room for a fresh cluster (about 40 MB with its first WAL segment) and some growth. */
  private static final String SIZE = "160m";

  private final Path mountPoint;
  private final Path filler;

  private SmallFilesystem(Path mountPoint) {
    this.mountPoint = mountPoint;
    this.filler = mountPoint.resolve("filler");
  }

  /** Mounts a small filesystem on an empty directory, or skips the test if that needs root. */
  public static SmallFilesystem mount(Path mountPoint) throws IOException, InterruptedException {
    boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", mountPoint);
    assumeTrue(
        mounted,
        "mounting a small tmpfs needs root (or CAP_SYS_ADMIN); without it a full disk cannot be"
            + " made for the test");
    return new SmallFilesystem(mountPoint);
  }

  /**
   * Starts a PostgreSQL server whose data directory ({@code data}) lives on this filesystem, on
   * {@code port}, or on a free one if it is 0; a second start on the same port finds the data of
   * the first.
   */
  public EmbeddedPostgres startPostgres(int port) throws IOException {
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder().setDataDirectory(resolve("data")).setCleanDataDirectory(false);
    if (port != 0) {
      builder.setPort(port);
    }
    return builder.start();
  }

  /** A path on this filesystem. */
  public Path resolve(String name) {
    return mountPoint.resolve(name);
  }

  /** Writes a filler file until the filesystem has no room left, to the last page. */
  public void fill() throws IOException {
    for (int blockSize : new int[] {1 << 20, 4096}) {
      byte[] block = new byte[blockSize];
      try (OutputStream out =
          Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
        while (true) {
          out.write(block);
        }
      } catch (IOException e) {
        if (e.getMessage() == null || !e.getMessage().contains("No space left")) {
          throw e;
        }
      }
    }
  }

  /** Deletes the filler file, so the space it took is free again. */
  public void free() throws IOException {
    Files.delete(filler);
  }

  /** Unmounts the filesystem, lazily, so a server still holding files on it does not stop it. */
  public void unmount() throws IOException, InterruptedException {
    run("umount", "-l", mountPoint.toString());
  }

  private static boolean run(Object... command) throws IOException, InterruptedException {
    List<String> words = new ArrayList<>();
    for (Object word : command) {
      words.add(word.toString());
    }
    Process process =
        new ProcessBuilder(words)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
  }
}
