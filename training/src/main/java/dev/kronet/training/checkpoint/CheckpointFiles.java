package dev.kronet.training.checkpoint;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.io.DType;
import dev.kronet.engine.io.SafeTensors;
import dev.kronet.engine.io.SafeTensorsFile;
import dev.kronet.engine.io.StoredTensor;
import dev.kronet.engine.nn.Module;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Writes and reads {@link Checkpoint}s. Writing goes through {@link SafeTensors#write}, which
 * writes a temporary file, forces it to disk and renames it over the target, so a crash leaves the
 * previous checkpoint or the new one. Reading refuses, with the file and the problem named: a file
 * the safetensors reader rejects (truncated, bad header), one that is not a kronet checkpoint or
 * has another format version, a missing or malformed metadata field, and any change to tensors or
 * metadata after writing (the CRC-32C in {@value #CHECKSUM} no longer matches).
 */
public final class CheckpointFiles {
  public static final String FORMAT = "kronet.checkpoint";
  public static final int FORMAT_VERSION = 1;
  public static final String MODEL_PREFIX = "model.";
  public static final String OPTIM_PREFIX = "optim.";
  static final String CHECKSUM = "checksum_crc32c";

  private CheckpointFiles() {}

  public static void write(Path path, Checkpoint c) {
    Map<String, StoredTensor> tensors = new LinkedHashMap<>();
    c.model().forEach((k, v) -> tensors.put(MODEL_PREFIX + k, v));
    c.optimizer().forEach((k, v) -> tensors.put(OPTIM_PREFIX + k, StoredTensor.of(v)));
    JsonObject rng = new JsonObject();
    // As decimal strings: a JSON number is a double and would round a 64-bit state.
    c.rngStates().forEach((k, v) -> rng.addProperty(k, Long.toString(v)));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", FORMAT);
    meta.put("format_version", Integer.toString(FORMAT_VERSION));
    meta.put("model_name", c.modelName());
    meta.put("epoch", Integer.toString(c.epochsCompleted()));
    meta.put("global_step", Long.toString(c.globalStep()));
    meta.put("threads", Integer.toString(c.threads()));
    meta.put("rng_states", rng.toString());
    meta.put("config", c.configJson());
    meta.put("metrics", c.metricsJson());
    meta.put("best_val_accuracy", Double.toString(c.bestValAccuracy()));
    meta.put("best_epoch", Integer.toString(c.bestEpoch()));
    meta.put(CHECKSUM, checksum(tensors, meta));
    SafeTensors.write(path, tensors, meta);
  }

  /** Reads and checks a checkpoint; every problem is a {@link CheckpointException}. */
  public static Checkpoint read(Path path) {
    SafeTensorsFile file;
    try {
      file = SafeTensors.read(path);
    } catch (KronetException e) {
      throw new CheckpointException("checkpoint " + path + " cannot be read: " + e.getMessage(), e);
    }
    Map<String, String> meta = new LinkedHashMap<>(file.metadata());
    if (!FORMAT.equals(meta.get("format"))) {
      throw new CheckpointException(
          "checkpoint "
              + path
              + ": metadata 'format' is "
              + quoted(meta.get("format"))
              + ", expected '"
              + FORMAT
              + "' (a plain weights file? load it with ModuleFiles.load)");
    }
    int version = intField(path, meta, "format_version");
    if (version != FORMAT_VERSION) {
      throw new CheckpointException(
          "checkpoint "
              + path
              + ": format version "
              + version
              + ", this kronet reads version "
              + FORMAT_VERSION);
    }
    String stored = field(path, meta, CHECKSUM);
    meta.remove(CHECKSUM);
    String actual = checksum(file.tensors(), meta);
    if (!stored.equals(actual)) {
      throw new CheckpointException(
          "checkpoint "
              + path
              + " is damaged: its contents have CRC-32C "
              + actual
              + ", the file records "
              + stored);
    }
    Map<String, StoredTensor> model = new LinkedHashMap<>();
    Map<String, Tensor> optim = new LinkedHashMap<>();
    for (var e : file.tensors().entrySet()) {
      String name = e.getKey();
      if (name.startsWith(MODEL_PREFIX)) {
        model.put(name.substring(MODEL_PREFIX.length()), e.getValue());
      } else if (name.startsWith(OPTIM_PREFIX) && e.getValue().dtype() == DType.F32) {
        optim.put(name.substring(OPTIM_PREFIX.length()), e.getValue().toTensor());
      } else {
        throw new CheckpointException(
            "checkpoint "
                + path
                + ": tensor '"
                + name
                + "' ("
                + e.getValue().dtype()
                + "), expected names 'model.*' or F32 'optim.*'");
      }
    }
    Map<String, Long> rng = new LinkedHashMap<>();
    JsonObject rngJson = jsonField(path, meta, "rng_states", true).getAsJsonObject();
    for (var e : rngJson.entrySet()) {
      try {
        rng.put(e.getKey(), Long.parseLong(e.getValue().getAsString()));
      } catch (RuntimeException ex) {
        throw new CheckpointException(
            "checkpoint " + path + ": rng state '" + e.getKey() + "' is not a 64-bit integer", ex);
      }
    }
    jsonField(path, meta, "config", true);
    jsonField(path, meta, "metrics", false);
    return new Checkpoint(
        field(path, meta, "model_name"),
        intField(path, meta, "epoch"),
        longField(path, meta, "global_step"),
        intField(path, meta, "threads"),
        model,
        optim,
        rng,
        meta.get("config"),
        meta.get("metrics"),
        doubleField(path, meta, "best_val_accuracy"),
        intField(path, meta, "best_epoch"));
  }

  /**
   * Loads a checkpoint's model weights into {@code module} (strictly: same names and shapes), as
   * for evaluation or fine-tuning. Returns the checkpoint for its other fields.
   */
  public static Checkpoint loadModel(Path path, Module module) {
    Checkpoint c = read(path);
    loadModel(path, c, module);
    return c;
  }

  /** Loads {@code c}'s model state into {@code module}; on a mismatch nothing is changed. */
  public static void loadModel(Path path, Checkpoint c, Module module) {
    try {
      module.loadStateDict(c.model(), true);
    } catch (KronetException e) {
      throw new CheckpointException(
          "checkpoint "
              + path
              + " (model '"
              + c.modelName()
              + "') does not fit the "
              + module.getClass().getSimpleName()
              + " being loaded: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The fields of {@code expected} whose values differ from the checkpoint's configuration, as
   * "name: checkpoint X, now Y" lines; empty when the two agree on all of them.
   */
  public static String configDifferences(Path path, Checkpoint c, JsonObject expected) {
    JsonObject stored;
    try {
      stored = JsonParser.parseString(c.configJson()).getAsJsonObject();
    } catch (RuntimeException e) {
      throw new CheckpointException("checkpoint " + path + ": metadata 'config' is not JSON", e);
    }
    StringBuilder sb = new StringBuilder();
    for (var e : expected.entrySet()) {
      JsonElement was = stored.get(e.getKey());
      if (!e.getValue().equals(was)) {
        sb.append("\n  ")
            .append(e.getKey())
            .append(": checkpoint ")
            .append(was)
            .append(", now ")
            .append(e.getValue());
      }
    }
    return sb.toString();
  }

  /** CRC-32C over the metadata and tensors in name order, so neither order nor layout matters. */
  static String checksum(Map<String, StoredTensor> tensors, Map<String, String> metadata) {
    CRC32C crc = new CRC32C();
    for (var e : new TreeMap<>(metadata).entrySet()) {
      update(crc, e.getKey());
      update(crc, e.getValue());
    }
    for (var e : new TreeMap<>(tensors).entrySet()) {
      StoredTensor t = e.getValue();
      update(crc, e.getKey());
      update(crc, t.dtype().name());
      int[] shape = t.shape();
      ByteBuffer dims = ByteBuffer.allocate(4 * (shape.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
      dims.putInt(shape.length);
      for (int d : shape) {
        dims.putInt(d);
      }
      crc.update(dims.array());
      crc.update(t.bytes());
    }
    return String.format(Locale.ROOT, "%08x", crc.getValue());
  }

  /** Length-prefixed, so that ("ab", "c") and ("a", "bc") hash differently. */
  private static void update(CRC32C crc, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    crc.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
    crc.update(b);
  }

  private static String quoted(String s) {
    return s == null ? "missing" : "'" + s + "'";
  }

  private static String field(Path path, Map<String, String> meta, String key) {
    String v = meta.get(key);
    if (v == null) {
      throw new CheckpointException(
          "checkpoint " + path + ": metadata field '" + key + "' is missing");
    }
    return v;
  }

  /** A metadata field that must hold a JSON object ({@code object}) or array. */
  private static JsonElement jsonField(
      Path path, Map<String, String> meta, String key, boolean object) {
    String expected = object ? "a JSON object" : "a JSON array";
    JsonElement el;
    try {
      el = JsonParser.parseString(field(path, meta, key));
    } catch (JsonParseException e) {
      throw new CheckpointException(
          "checkpoint " + path + ": metadata field '" + key + "' is not " + expected + ": " + e, e);
    }
    if (object ? !el.isJsonObject() : !el.isJsonArray()) {
      throw new CheckpointException(
          "checkpoint "
              + path
              + ": metadata field '"
              + key
              + "' is "
              + el
              + ", expected "
              + expected);
    }
    return el;
  }

  private static int intField(Path path, Map<String, String> meta, String key) {
    return (int) parse(path, key, field(path, meta, key), Integer.MIN_VALUE, Integer.MAX_VALUE);
  }

  private static long longField(Path path, Map<String, String> meta, String key) {
    return parse(path, key, field(path, meta, key), Long.MIN_VALUE, Long.MAX_VALUE);
  }

  private static long parse(Path path, String key, String value, long lo, long hi) {
    try {
      long v = Long.parseLong(value);
      if (v >= lo && v <= hi) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the field's name
    }
    throw new CheckpointException(
        "checkpoint "
            + path
            + ": metadata field '"
            + key
            + "' is '"
            + value
            + "', expected an integer");
  }

  private static double doubleField(Path path, Map<String, String> meta, String key) {
    String value = field(path, meta, key);
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new CheckpointException(
          "checkpoint "
              + path
              + ": metadata field '"
              + key
              + "' is '"
              + value
              + "', expected a number",
          e);
    }
  }
}
