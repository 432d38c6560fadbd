package dev.kronet.training.cli;

import dev.kronet.engine.Rng;
import dev.kronet.engine.nn.Module;
import dev.kronet.training.loop.TrainResult;
import dev.kronet.training.loop.Trainer;
import dev.kronet.training.models.ConvFactory;
import dev.kronet.training.models.ModelSpec;
import dev.kronet.training.models.ModelZoo;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Trains a zoo model from scratch (or resumes an interrupted run). */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a model on Fashion-MNIST; checkpoints, metrics.csv/json and curves.png go to --out.",
      "Interrupted runs continue with --resume (same thread count: bitwise the same result)."
    })
final class TrainCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      description =
          "Zoo model: resnet20, resnet32, resnet56, resnet18, mobilenetv2, se_resnet20, …"
              + " (default: ${DEFAULT-VALUE}).")
  String model = "resnet20";

  @Option(names = "--resume", description = "Continue the run in --out from last.safetensors.")
  boolean resume;

  @Mixin DataOptions data;
  @Mixin TrainOptions train;

  @Override
  public Integer call() {
    DataOptions.Data d = data.load(train.seed);
    ModelSpec spec = ModelSpec.dense(model, 1, d.train().numClasses());
    Module net =
        ModelZoo.create(model, 1, d.train().numClasses(), ConvFactory.DENSE, new Rng(train.seed));
    System.out.printf(
        Locale.ROOT,
        "%s: %d parameters; %s: %d training, %d test images%n",
        model,
        net.numParameters(),
        d.name(),
        d.train().size(),
        d.test().size());
    Trainer trainer =
        new Trainer(spec.toJson(), net, train.config(), d.train(), d.test())
            .withTitle(model + " on " + d.name())
            .withTrainTransforms(d.trainTransforms())
            .withEvalTransforms(d.evalTransforms());
    TrainResult r = resume ? trainer.resume() : trainer.fit();
    System.out.printf(
        Locale.ROOT,
        "best test top-1 %.2f%% (epoch %d); checkpoints: %s, %s%n",
        100 * r.bestValAccuracy(),
        r.bestEpoch(),
        r.best(),
        r.last());
    return 0;
  }
}
