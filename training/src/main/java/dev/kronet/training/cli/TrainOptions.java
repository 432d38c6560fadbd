package dev.kronet.training.cli;

import dev.kronet.training.loop.TrainConfig;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The recipe options shared by train and finetune. */
final class TrainOptions {
  @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs = 30;

  @Option(names = "--batch-size", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
  int batchSize = 128;

  @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr = 0.1;

  @Option(names = "--weight-decay", description = "Weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay = 5e-4;

  @Option(
      names = "--schedule",
      description = "cosine or step (step: ×0.1 at 50%% and 75%% of the epochs; default: cosine).")
  String schedule = "cosine";

  @Option(names = "--warmup", description = "Linear warm-up epochs (default: ${DEFAULT-VALUE}).")
  int warmup = 0;

  @Option(names = "--label-smoothing", description = "Label smoothing ε (default: 0).")
  double labelSmoothing = 0;

  @Option(names = "--seed", description = "Seed of initialisation, shuffling, augmentation.")
  long seed = 1;

  @Option(names = "--out", required = true, description = "Run directory (created).")
  Path out;

  TrainConfig config() {
    TrainConfig c =
        TrainConfig.defaults(epochs, out)
            .withBatchSize(batchSize)
            .withLr(lr)
            .withLabelSmoothing(labelSmoothing)
            .withSeed(seed);
    c = c.withOptimizer(c.momentum(), c.nesterov(), weightDecay, c.decayBnAndBias());
    if (schedule.equalsIgnoreCase("step")) {
      List<Integer> milestones =
          epochs >= 4 ? List.of(epochs / 2, epochs * 3 / 4) : List.<Integer>of();
      return c.withSchedule(TrainConfig.Schedule.STEP, milestones, 0.1, warmup);
    }
    if (!schedule.equalsIgnoreCase("cosine")) {
      throw new dev.kronet.engine.KronetException(
          "--schedule " + schedule + ": expected cosine or step");
    }
    return c.withSchedule(TrainConfig.Schedule.COSINE, List.of(), 0.1, warmup);
  }
}
