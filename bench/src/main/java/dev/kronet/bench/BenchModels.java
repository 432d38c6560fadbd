package dev.kronet.bench;

import dev.kronet.engine.Rng;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.nn.Module;
import dev.kronet.gkpd.layer.KroneckerConv2d;
import dev.kronet.training.checkpoint.Checkpoint;
import dev.kronet.training.checkpoint.CheckpointFiles;
import dev.kronet.training.models.ConvFactory;
import dev.kronet.training.models.ModelSpec;
import dev.kronet.training.models.ModelZoo;
import java.nio.file.Path;

/**
 * The models the throughput benchmarks take by name: {@code resnet20}, {@code kron-anchor} (the
 * Kronecker ResNet-20 of the reference {@code bench/anchors/torch_models.py}: every 3×3 conv but
 * the stem as A F/div×C/div×3×3 ⊗ B div×div×1×1, R̂ = rank), or a model file written by {@code
 * kronet train}, {@code compress} or {@code finetune} (with its own input channels and classes).
 */
final class BenchModels {
  private BenchModels() {}

  /** A model with the label it is reported under and the input it takes. */
  record Loaded(String label, Module model, int channels, int classes) {}

  static Loaded load(String name, int rank, int div, int channels) {
    if (name.equals("resnet20")) {
      return new Loaded(
          name,
          ModelZoo.create("resnet20", channels, 10, ConvFactory.DENSE, new Rng(0)),
          channels,
          10);
    }
    if (name.equals("kron-anchor")) {
      ConvFactory kron =
          (layer, in, out, k, spec, bias, rng) ->
              k == 3 && in >= 16
                  ? KroneckerConv2d.random(
                      in,
                      out,
                      new int[] {out / div, in / div, 3, 3},
                      new int[] {div, div, 1, 1},
                      rank,
                      spec,
                      bias,
                      rng)
                  : new Conv2d(in, out, k, k, spec, bias, rng);
      return new Loaded(
          "kron-resnet20 rank=" + rank + " div=" + div,
          ModelZoo.create("resnet20", channels, 10, kron, new Rng(0)),
          channels,
          10);
    }
    Path file = Path.of(name);
    Checkpoint c = CheckpointFiles.read(file);
    ModelSpec spec = ModelSpec.parseOrName(c.modelName());
    Module m = spec.build(new Rng(0));
    CheckpointFiles.loadModel(file, c, m);
    return new Loaded(file.getFileName().toString(), m, spec.inChannels(), spec.numClasses());
  }
}
