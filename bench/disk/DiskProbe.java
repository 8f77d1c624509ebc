import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Watches how long the disk takes to make a small write durable, the way PostgreSQL commits: it
 * writes 8 kB and calls {@code fdatasync} ({@code FileChannel.force(false)}), fifty times a second,
 * and prints one line per call that took {@code STALL_MS} or more: the wall-clock millisecond it
 * began and how long it took. A stall of the disk holds every commit made meanwhile, so the
 * benchmark counts the stalls that fell inside each run. Run it with {@code java DiskProbe.java
 * FILE [STALL_MS]}; it runs until killed, and deletes FILE then.
 */
final class DiskProbe {

  private static final int BLOCK = 8192;
  private static final long FILE_BYTES = 16L * 1024 * 1024;
  private static final long PAUSE_MILLIS = 20;

  public static void main(String[] args) throws IOException, InterruptedException {
    Path file = Path.of(args[0]);
    long stallNanos = (args.length > 1 ? Long.parseLong(args[1]) : 50) * 1_000_000;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> file.toFile().delete()));
    ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      System.out.println("disk probe ready");
      System.out.flush();
      for (long offset = 0; ; offset = (offset + BLOCK) % FILE_BYTES) {
        block.clear();
        channel.write(block, offset);
        long startedMillis = System.currentTimeMillis();
        long started = System.nanoTime();
        channel.force(false);
        long took = System.nanoTime() - started;
        if (took >= stallNanos) {
          System.out.println(startedMillis + " " + took / 1_000_000);
          System.out.flush();
        }
        Thread.sleep(PAUSE_MILLIS);
      }
    }
  }
}
