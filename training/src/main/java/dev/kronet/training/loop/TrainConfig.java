package dev.kronet.training.loop;

import dev.kronet.engine.KronetException;
import dev.kronet.training.schedule.LrSchedule;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that defines a training run, immutable. Epoch counts and milestones are in epochs; the
 * trainer turns them into optimisation steps once it knows the batches per epoch, so that the
 * learning rate changes per step (smooth warm-up and cosine) yet matches per-epoch recipes at epoch
 * boundaries.
 *
 * @param epochs epochs to train in total (a resumed run continues up to this count)
 * @param batchSize training and evaluation batch size
 * @param lr peak learning rate
 * @param momentum SGD momentum μ (0 disables the momentum buffers)
 * @param nesterov Nesterov momentum
 * @param weightDecay L2 weight decay
 * @param decayBnAndBias also decay rank ≤ 1 parameters (BatchNorm scales/shifts, biases)
 * @param schedule {@link Schedule#STEP} (× gamma at each milestone) or {@link Schedule#COSINE}
 * @param milestones epochs after which STEP multiplies the rate by {@code gamma}
 * @param gamma STEP's factor
 * @param warmupEpochs linear warm-up length in epochs (0 for none)
 * @param labelSmoothing ε of the cross-entropy, in [0, 1)
 * @param distillAlpha α of {@code α·KD(T) + (1 − α)·CE}; used only when a teacher is given
 * @param distillTemperature T of the distillation term
 * @param seed seed of shuffling and augmentation (the model's initialisation is the caller's)
 * @param outputDir run directory: checkpoints, metrics and plot
 * @param checkpointEvery write {@code last.safetensors} every this many epochs (and at the end)
 */
public record TrainConfig(
    int epochs,
    int batchSize,
    double lr,
    double momentum,
    boolean nesterov,
    double weightDecay,
    boolean decayBnAndBias,
    Schedule schedule,
    List<Integer> milestones,
    double gamma,
    int warmupEpochs,
    double labelSmoothing,
    double distillAlpha,
    double distillTemperature,
    long seed,
    Path outputDir,
    int checkpointEvery) {

  /** Learning-rate schedule kinds. */
  public enum Schedule {
    STEP,
    COSINE
  }

  public TrainConfig {
    milestones = List.copyOf(milestones);
    require(epochs >= 1, "epochs", epochs, "≥ 1");
    require(batchSize >= 1, "batchSize", batchSize, "≥ 1");
    require(lr > 0 && Double.isFinite(lr), "lr", lr, "a finite number > 0");
    require(momentum >= 0 && momentum < 1, "momentum", momentum, "in [0, 1)");
    require(!nesterov || momentum > 0, "nesterov", nesterov, "false when momentum is 0");
    require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay", weightDecay, "≥ 0");
    require(schedule != null, "schedule", schedule, "STEP or COSINE");
    require(gamma > 0 && gamma <= 1, "gamma", gamma, "in (0, 1]");
    for (int i = 0; i < milestones.size(); i++) {
      int m = milestones.get(i);
      require(
          m >= 1 && (i == 0 || m > milestones.get(i - 1)),
          "milestones",
          milestones,
          "ascending epochs ≥ 1");
    }
    require(
        warmupEpochs >= 0 && warmupEpochs <= epochs,
        "warmupEpochs",
        warmupEpochs,
        "in [0, epochs]");
    require(
        labelSmoothing >= 0 && labelSmoothing < 1, "labelSmoothing", labelSmoothing, "in [0, 1)");
    require(distillAlpha >= 0 && distillAlpha <= 1, "distillAlpha", distillAlpha, "in [0, 1]");
    require(
        distillTemperature > 0 && Double.isFinite(distillTemperature),
        "distillTemperature",
        distillTemperature,
        "a finite number > 0");
    require(outputDir != null, "outputDir", outputDir, "a directory");
    require(checkpointEvery >= 1, "checkpointEvery", checkpointEvery, "≥ 1");
  }

  private static void require(boolean ok, String name, Object found, String expected) {
    if (!ok) {
      throw new KronetException("TrainConfig: " + name + " is " + found + ", expected " + expected);
    }
  }

  /**
   * A common CIFAR-style recipe: SGD 0.1, momentum 0.9 (Nesterov), weight decay 5e-4 off BatchNorm
   * and biases, cosine decay, no warm-up, no smoothing, KD α 0.5 at T 4, checkpoint each epoch.
   */
  public static TrainConfig defaults(int epochs, Path outputDir) {
    return new TrainConfig(
        epochs,
        128,
        0.1,
        0.9,
        true,
        5e-4,
        false,
        Schedule.COSINE,
        List.of(),
        0.1,
        0,
        0.0,
        0.5,
        4.0,
        0,
        outputDir,
        1);
  }

  /** The learning rate per optimisation step, given the number of batches in one epoch. */
  public LrSchedule lrSchedule(int stepsPerEpoch) {
    LrSchedule inner =
        switch (schedule) {
          case COSINE -> LrSchedule.cosine(lr, 0.0, (long) epochs * stepsPerEpoch);
          case STEP -> {
            long[] steps = new long[milestones.size()];
            for (int i = 0; i < steps.length; i++) {
              steps[i] = (long) milestones.get(i) * stepsPerEpoch;
            }
            yield LrSchedule.step(lr, gamma, steps);
          }
        };
    return inner.withWarmup((long) warmupEpochs * stepsPerEpoch);
  }

  /** The fields as JSON-friendly values, in declaration order (for metrics and checkpoints). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("epochs", epochs);
    m.put("batch_size", batchSize);
    m.put("lr", lr);
    m.put("momentum", momentum);
    m.put("nesterov", nesterov);
    m.put("weight_decay", weightDecay);
    m.put("decay_bn_and_bias", decayBnAndBias);
    m.put("schedule", schedule.name().toLowerCase(java.util.Locale.ROOT));
    m.put("milestones", milestones);
    m.put("gamma", gamma);
    m.put("warmup_epochs", warmupEpochs);
    m.put("label_smoothing", labelSmoothing);
    m.put("distill_alpha", distillAlpha);
    m.put("distill_temperature", distillTemperature);
    m.put("seed", seed);
    m.put("output_dir", outputDir.toString());
    m.put("checkpoint_every", checkpointEvery);
    return m;
  }

  /**
   * The fields a resumed run must share with the run that wrote the checkpoint for the result to
   * equal an uninterrupted run: all but the output directory and checkpoint interval, and the epoch
   * count only where the schedule depends on it (cosine), so a step-schedule run may be extended.
   */
  public Map<String, Object> resumeRelevant() {
    Map<String, Object> m = toMap();
    m.remove("output_dir");
    m.remove("checkpoint_every");
    if (schedule != Schedule.COSINE) {
      m.remove("epochs");
    }
    return m;
  }

  public TrainConfig withEpochs(int value) {
    return with(b -> b.epochs = value);
  }

  public TrainConfig withBatchSize(int value) {
    return with(b -> b.batchSize = value);
  }

  public TrainConfig withLr(double value) {
    return with(b -> b.lr = value);
  }

  public TrainConfig withOptimizer(
      double mu, boolean useNesterov, double decay, boolean decayAllParameters) {
    return with(
        b -> {
          b.momentum = mu;
          b.nesterov = useNesterov;
          b.weightDecay = decay;
          b.decayBnAndBias = decayAllParameters;
        });
  }

  public TrainConfig withSchedule(Schedule kind, List<Integer> steps, double factor, int warmup) {
    return with(
        b -> {
          b.schedule = kind;
          b.milestones = steps;
          b.gamma = factor;
          b.warmupEpochs = warmup;
        });
  }

  public TrainConfig withLabelSmoothing(double value) {
    return with(b -> b.labelSmoothing = value);
  }

  public TrainConfig withDistillation(double alpha, double temperature) {
    return with(
        b -> {
          b.distillAlpha = alpha;
          b.distillTemperature = temperature;
        });
  }

  public TrainConfig withSeed(long value) {
    return with(b -> b.seed = value);
  }

  public TrainConfig withOutputDir(Path value) {
    return with(b -> b.outputDir = value);
  }

  public TrainConfig withCheckpointEvery(int value) {
    return with(b -> b.checkpointEvery = value);
  }

  /** A copy with some fields changed: the one place every {@code withX} goes through. */
  private TrainConfig with(java.util.function.Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The record's fields, mutable, for {@link #with}. */
  private static final class Builder {
    int epochs;
    int batchSize;
    double lr;
    double momentum;
    boolean nesterov;
    double weightDecay;
    boolean decayBnAndBias;
    Schedule schedule;
    List<Integer> milestones;
    double gamma;
    int warmupEpochs;
    double labelSmoothing;
    double distillAlpha;
    double distillTemperature;
    long seed;
    Path outputDir;
    int checkpointEvery;

    Builder(TrainConfig c) {
      epochs = c.epochs;
      batchSize = c.batchSize;
      lr = c.lr;
      momentum = c.momentum;
      nesterov = c.nesterov;
      weightDecay = c.weightDecay;
      decayBnAndBias = c.decayBnAndBias;
      schedule = c.schedule;
      milestones = c.milestones;
      gamma = c.gamma;
      warmupEpochs = c.warmupEpochs;
      labelSmoothing = c.labelSmoothing;
      distillAlpha = c.distillAlpha;
      distillTemperature = c.distillTemperature;
      seed = c.seed;
      outputDir = c.outputDir;
      checkpointEvery = c.checkpointEvery;
    }

    TrainConfig build() {
      return new TrainConfig(
          epochs,
          batchSize,
          lr,
          momentum,
          nesterov,
          weightDecay,
          decayBnAndBias,
          schedule,
          milestones,
          gamma,
          warmupEpochs,
          labelSmoothing,
          distillAlpha,
          distillTemperature,
          seed,
          outputDir,
          checkpointEvery);
    }
  }
}
