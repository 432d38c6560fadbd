package dev.kronet.training.cli;

import dev.kronet.engine.Rng;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.nn.Module;
import dev.kronet.training.checkpoint.Checkpoint;
import dev.kronet.training.checkpoint.CheckpointFiles;
import dev.kronet.training.models.ModelSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * Models on disk for the CLI: every file is a kronet checkpoint whose {@code model_name} metadata
 * is the {@link ModelSpec} JSON, so a trained, compressed or fine-tuned file alone rebuilds its
 * network.
 */
final class ModelFiles {
  private ModelFiles() {}

  /**
   * The model of {@code checkpoint} when given, else the zoo's {@code model} ({@code resnet20} when
   * null) for 1-channel inputs and 10 classes with seeded weights (no checkpoint then): the {@code
   * --checkpoint} / {@code --model} pair of {@code info} and {@code env --kernels}.
   */
  static Loaded loadOrCreate(Path checkpoint, String model) {
    if (checkpoint != null) {
      return load(checkpoint);
    }
    ModelSpec spec = ModelSpec.dense(model == null ? "resnet20" : model, 1, 10);
    return new Loaded(spec, spec.build(new Rng(0)), null);
  }

  /** A model read back from a checkpoint, with its architecture and the checkpoint itself. */
  record Loaded(ModelSpec spec, Module model, Checkpoint checkpoint) {}

  static Loaded load(Path file) {
    Checkpoint c = CheckpointFiles.read(file);
    ModelSpec spec = ModelSpec.parseOrName(c.modelName());
    Module model = spec.build(new Rng(0));
    CheckpointFiles.loadModel(file, c, model);
    return new Loaded(spec, model, c);
  }

  /** Writes {@code model} alone (no optimiser state) as an epoch-0 checkpoint. */
  static void save(Path file, ModelSpec spec, Module model, String configJson) {
    CheckpointFiles.write(
        file,
        new Checkpoint(
            spec.toJson(),
            0,
            0,
            Parallel.threads(),
            model.stateDict(),
            Map.of(),
            Map.of(),
            configJson,
            "[]",
            0,
            0));
  }
}
