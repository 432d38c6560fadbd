package dev.kronet.training.loop;

import dev.kronet.engine.KronetException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * One process owns a run directory while it trains there: {@code .kronet-run.lock} holds an
 * operating-system lock for the life of the run and names the owner (pid and host). A second {@code
 * train}, {@code finetune} or {@code --resume} on the same directory is refused with the owner's
 * name. The operating system drops the lock when its process dies, so a lock file left by a crashed
 * run is simply taken over, with a message. Holding the lock, the owner also removes the temp files
 * an interrupted checkpoint or log write left behind.
 */
final class RunLock implements AutoCloseable {
  static final String FILE = ".kronet-run.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes {@code dir} for this process, or throws naming the process that has it. */
  static RunLock acquire(Path dir, PrintStream out) {
    Path file = dir.resolve(FILE);
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      String previous = read(channel);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // this very process already trains there
      }
      if (lock == null) {
        throw new KronetException(
            dir
                + " is in use by another run ("
                + (previous.isBlank() ? "owner unknown" : previous)
                + "): wait for it to finish, or choose another --out");
      }
      if (!previous.isBlank()) {
        out.println(
            "taking over " + file + " from a run that is no longer running (" + previous + ")");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(owner().getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(true);
      removeLeftoverTempFiles(dir, out);
      return new RunLock(channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new KronetException("cannot lock the run directory " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  /** Releases the directory; the lock file stays, empty, for the next run to take. */
  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("releasing the run lock", e);
    }
  }

  private static String owner() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown host";
    }
    return String.format(
        Locale.ROOT,
        "pid %d on %s since %s",
        ProcessHandle.current().pid(),
        host,
        java.time.Instant.now());
  }

  private static String read(FileChannel channel) throws IOException {
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(channel.size(), 1024));
    channel.read(b, 0);
    return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
  }

  /**
   * Deletes what an interrupted atomic write leaves: SafeTensors' {@code .<name>.<random>.tmp} and
   * the logs' {@code <name>.tmp}. Only the lock's owner writes here, so none of them is in use.
   */
  private static void removeLeftoverTempFiles(Path dir, PrintStream out) throws IOException {
    long bytes = 0;
    int files = 0;
    try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, "*.tmp")) {
      for (Path p : tmp) {
        String name = p.getFileName().toString();
        boolean ours =
            name.startsWith(".") && name.contains(".safetensors.")
                || name.equals("metrics.json.tmp")
                || name.equals("curves.png.tmp");
        if (ours && Files.isRegularFile(p)) {
          bytes += Files.size(p);
          Files.delete(p);
          files++;
        }
      }
    }
    if (files > 0) {
      out.printf(
          Locale.ROOT,
          "removed %d temp file%s (%.1f MB) an interrupted write left in %s%n",
          files,
          files == 1 ? "" : "s",
          bytes / 1e6,
          dir);
    }
  }

  private static void closeQuietly(FileChannel c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // the error being reported matters more
      }
    }
  }
}
