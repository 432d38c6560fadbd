package dev.kronet.training.loop;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of one pass over batches: a bar redrawn in place (batches, images/s, ETA) when the
 * output is a terminal, and plain log lines (at every 10% or every 30 s) when it is not, so that
 * logs stay readable in CI and files.
 */
public final class Progress {
  private static final long LOG_INTERVAL_NANOS = 30_000_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier clock;
  private String label = "";
  private int total;
  private long startNanos;
  private long lastLogNanos;
  private int lastLoggedDecile;

  public Progress(PrintStream out, boolean terminal, LongSupplier nanoClock) {
    this.out = out;
    this.terminal = terminal;
    this.clock = nanoClock;
  }

  /** Progress on standard output, drawn as a bar only when it is an interactive terminal. */
  public static Progress onStdout() {
    var console = System.console();
    return new Progress(System.out, console != null && console.isTerminal(), System::nanoTime);
  }

  public void start(String label, int totalBatches) {
    this.label = label;
    this.total = totalBatches;
    this.startNanos = clock.getAsLong();
    this.lastLogNanos = startNanos;
    this.lastLoggedDecile = 0;
  }

  /** Reports that {@code done} batches and {@code images} images are finished. */
  public void update(int done, long images, String metrics) {
    long now = clock.getAsLong();
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    double rate = images / seconds;
    double eta = done == 0 ? 0 : seconds * (total - done) / done;
    String line =
        String.format(
            Locale.ROOT,
            "%s %d/%d  %.0f img/s  ETA %s  %s",
            label,
            done,
            total,
            rate,
            formatDuration(eta),
            metrics);
    if (terminal) {
      int width = 24;
      int filled = total == 0 ? width : (int) ((long) width * done / total);
      out.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + line + "\u001b[K");
      out.flush();
      return;
    }
    int decile = total == 0 ? 10 : (int) (10L * done / total);
    if (decile > lastLoggedDecile || now - lastLogNanos >= LOG_INTERVAL_NANOS) {
      lastLoggedDecile = decile;
      lastLogNanos = now;
      out.println(line);
    }
  }

  /** Ends the pass; on a terminal this moves off the redrawn line. */
  public void finish() {
    if (terminal) {
      out.println();
    }
  }

  static String formatDuration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
