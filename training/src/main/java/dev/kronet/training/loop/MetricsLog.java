package dev.kronet.training.loop;

import com.google.gson.GsonBuilder;
import dev.kronet.engine.KronetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-epoch metrics written next to a run: {@code metrics.csv} (one row appended per epoch) and
 * {@code metrics.json} (the run's configuration — seed, threads, version, … — plus every epoch so
 * far, rewritten atomically), so that a result always carries how it was produced.
 */
public final class MetricsLog {
  static final String HEADER =
      "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds,images_per_second";

  private final Path csv;
  private final Path json;
  private final Map<String, Object> config;
  private final List<EpochMetrics> epochs = new ArrayList<>();

  public MetricsLog(Path directory, Map<String, Object> runConfig) {
    this.csv = directory.resolve("metrics.csv");
    this.json = directory.resolve("metrics.json");
    this.config = new LinkedHashMap<>(runConfig);
  }

  public List<EpochMetrics> epochs() {
    return List.copyOf(epochs);
  }

  /** Keeps the epochs of an earlier run (on resume) so the JSON stays complete. */
  public void restore(List<EpochMetrics> earlier) {
    epochs.clear();
    epochs.addAll(earlier);
  }

  public void append(EpochMetrics m) {
    epochs.add(m);
    try {
      Files.createDirectories(csv.getParent());
      if (!Files.exists(csv)) {
        Files.writeString(csv, HEADER + "\n", StandardCharsets.UTF_8);
      }
      String row =
          String.format(
              Locale.ROOT,
              "%d,%.6f,%.6f,%.6f,%.6f,%.6g,%.3f,%.1f%n",
              m.epoch(),
              m.trainLoss(),
              m.trainAccuracy(),
              m.valLoss(),
              m.valAccuracy(),
              m.learningRate(),
              m.seconds(),
              m.imagesPerSecond());
      Files.writeString(csv, row, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("config", config);
      doc.put("epochs", epochs);
      Path tmp = json.resolveSibling(json.getFileName() + ".tmp");
      Files.writeString(
          tmp,
          new GsonBuilder()
              .setPrettyPrinting()
              .serializeSpecialFloatingPointValues()
              .create()
              .toJson(doc),
          StandardCharsets.UTF_8);
      Files.move(tmp, json, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new KronetException("cannot write metrics to " + csv.getParent() + ": " + e, e);
    }
  }
}
