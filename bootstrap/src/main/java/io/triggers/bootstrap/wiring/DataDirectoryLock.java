package io.triggers.bootstrap.wiring;

import io.triggers.bootstrap.config.ConfigurationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This process's exclusive claim on a data directory, held from before anything touches its
 * database until the process stops: a second server on the same directory is refused instead of
 * stopping the first one's PostgreSQL. The operating system releases the lock when the process
 * dies, however it dies, so a killed server never leaves a stale claim behind.
 */
final class DataDirectoryLock implements AutoCloseable {

  static final String FILE_NAME = "triggers.lock";

  /**
   * The lock files this process holds. Asked before opening the file again, because closing any
   * descriptor of a file drops every POSIX lock the process holds on it.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock on {@code dataDir}, creating the directory if need be.
   *
   * @throws ConfigurationException if another server holds it, or the directory cannot be used
   */
  static DataDirectoryLock acquire(Path dataDir) {
    Path directory = dataDir.toAbsolutePath().normalize();
    Path file = directory.resolve(FILE_NAME);
    if (!HELD.add(file)) {
      throw inUse(directory, " (pid " + ProcessHandle.current().pid() + ", this one)");
    }
    try {
      return lock(directory, file);
    } catch (RuntimeException e) {
      HELD.remove(file);
      throw e;
    }
  }

  private static DataDirectoryLock lock(Path directory, Path file) {
    FileChannel channel;
    try {
      Files.createDirectories(directory);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot use the data directory " + directory + ": " + e.getMessage());
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held through another channel of this process
    } catch (IOException e) {
      closeQuietly(channel);
      throw new ConfigurationException("cannot lock " + file + ": " + e.getMessage());
    }
    if (lock == null) {
      String holder = holder(channel);
      closeQuietly(channel);
      throw inUse(directory, holder);
    }
    try {
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
    } catch (IOException e) {
      // The pid only makes a second server's message more helpful; the lock is what counts.
    }
    return new DataDirectoryLock(file, channel, lock);
  }

  private static ConfigurationException inUse(Path directory, String holder) {
    return new ConfigurationException(
        "the data directory "
            + directory
            + " is in use by another Triggers server"
            + holder
            + "; stop that one first, or give this one another TRIGGERS_DATA_DIR");
  }

  /** " (pid N)" as the holder wrote it in the file, or nothing if it cannot be read. */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer content = ByteBuffer.allocate(32);
      channel.read(content, 0);
      String pid = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII);
      return pid.strip().matches("\\d+") ? " (pid " + pid.strip() + ")" : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing more to release
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
      HELD.remove(file);
    }
  }
}
