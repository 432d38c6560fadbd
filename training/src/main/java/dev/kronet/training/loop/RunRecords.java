package dev.kronet.training.loop;

import com.google.gson.GsonBuilder;
import com.google.gson.Strictness;
import dev.kronet.engine.KronetException;
import dev.kronet.training.checkpoint.CheckpointException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human-readable records of a run directory: {@code metrics.csv} and {@code metrics.json} (with
 * the run's provenance), the curve plot, and one summary line per epoch.
 */
final class RunRecords {
  static final String VERSION = versionOf(Trainer.class);

  private final Path dir;
  private final String title;
  private final int epochs;
  private final PrintStream out;
  private final MetricsLog log;

  /**
   * Starts the records from {@code earlier} epochs (those of a resumed checkpoint): both metrics
   * files are rewritten, so no row of an epoch lost after the checkpoint remains.
   */
  RunRecords(
      Path dir,
      String title,
      int epochs,
      Map<String, Object> provenance,
      List<EpochMetrics> earlier,
      PrintStream out) {
    this.dir = dir;
    this.title = title;
    this.epochs = epochs;
    this.out = out;
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve("metrics.csv"));
      Files.deleteIfExists(dir.resolve("metrics.json"));
    } catch (IOException e) {
      throw new KronetException("cannot prepare the output directory " + dir + ": " + e, e);
    }
    this.log = new MetricsLog(dir, provenance);
    earlier.forEach(log::append);
  }

  /** Records epoch {@code m} (the last of {@code all}): metrics files, plot, summary line. */
  void epochDone(List<EpochMetrics> all, EpochMetrics m, boolean best) {
    log.append(m);
    CurvePlot.write(dir.resolve(Trainer.PLOT), title, all);
    out.println(
        String.format(
            Locale.ROOT,
            "%s  train loss %.4f top-1 %.2f%%  val loss %.4f top-1 %.2f%%  lr %.4g  %.1f s  %.0f"
                + " img/s%s",
            label(m.epoch(), epochs),
            m.trainLoss(),
            100 * m.trainAccuracy(),
            m.valLoss(),
            100 * m.valAccuracy(),
            m.learningRate(),
            m.seconds(),
            m.imagesPerSecond(),
            best ? "  (best)" : ""));
  }

  static String label(int epoch, int epochs) {
    return "epoch " + epoch + "/" + epochs;
  }

  /** The metrics saved in a checkpoint (a JSON array of {@link EpochMetrics}). */
  static EpochMetrics[] parseMetrics(Path file, String json) {
    try {
      // Lenient: the writer spells non-finite values NaN/Infinity, which strict JSON lacks.
      EpochMetrics[] parsed =
          new GsonBuilder()
              .setStrictness(Strictness.LENIENT)
              .create()
              .fromJson(json, EpochMetrics[].class);
      return parsed == null ? new EpochMetrics[0] : parsed;
    } catch (RuntimeException e) {
      throw new CheckpointException(
          "checkpoint " + file + ": metadata 'metrics' is not a list of epoch metrics: " + e, e);
    }
  }

  private static String versionOf(Class<?> c) {
    String v = c.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }
}
