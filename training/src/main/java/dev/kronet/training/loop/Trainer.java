package dev.kronet.training.loop;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.kronet.datasets.ImageDataset;
import dev.kronet.datasets.loader.Batch;
import dev.kronet.datasets.loader.BatchStream;
import dev.kronet.datasets.loader.DataLoader;
import dev.kronet.datasets.loader.LoaderOptions;
import dev.kronet.datasets.transform.Transform;
import dev.kronet.engine.Autograd;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.Comparisons;
import dev.kronet.training.checkpoint.Checkpoint;
import dev.kronet.training.checkpoint.CheckpointException;
import dev.kronet.training.checkpoint.CheckpointFiles;
import dev.kronet.training.optim.NamedParameter;
import dev.kronet.training.optim.ParamGroup;
import dev.kronet.training.optim.Sgd;
import dev.kronet.training.schedule.LrSchedule;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains any {@link Module} on an image-classification set: SGD with a per-step learning-rate
 * schedule, cross-entropy (optionally label-smoothed, optionally mixed with distillation from a
 * teacher), an evaluation pass per epoch, metrics, a curve plot and checkpoints.
 *
 * <p>Determinism: shuffling and augmentation come from the loader, seeded by (seed, epoch, sample),
 * and everything else the run depends on — weights, BatchNorm statistics, momentum buffers, the
 * step counter and the {@linkplain #trackRng tracked generators} — is in the checkpoint. So the
 * same seed and thread count give the same weights, and a resumed run ends bitwise where an
 * uninterrupted one does. The model's initialisation is the caller's (build it from a seeded Rng).
 *
 * <p>Divergence: a NaN or infinite loss stops the run before that step's update, with a {@link
 * NonFiniteLossException} naming the epoch and step; weights are checked for finiteness before
 * every checkpoint, so a diverged state never replaces the last good {@code last.safetensors}.
 */
public final class Trainer {
  public static final String LAST = "last.safetensors";
  public static final String BEST = "best.safetensors";
  public static final String PLOT = "curves.png";
  private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

  private final String modelName;
  private final Module model;
  private final TrainConfig config;
  private final ImageDataset train;
  private final ImageDataset validation;
  private final Sgd sgd;
  private final Map<String, Rng> rngs = new LinkedHashMap<>();
  private List<Transform> trainTransforms = List.of();
  private List<Transform> evalTransforms = List.of();
  private Module teacher;
  private String title;
  private PrintStream out = System.out;
  private Progress progress = Progress.onStdout();

  public Trainer(
      String modelName,
      Module model,
      TrainConfig config,
      ImageDataset train,
      ImageDataset validation) {
    this.modelName = modelName;
    this.model = model;
    this.config = config;
    this.train = train;
    this.validation = validation;
    List<NamedParameter> params = new ArrayList<>();
    model.namedParameters().forEach((n, t) -> params.add(new NamedParameter(n, t)));
    this.sgd =
        new Sgd(
            ParamGroup.split(params, config.weightDecay(), config.decayBnAndBias()),
            config.momentum(),
            0.0,
            config.nesterov());
  }

  /** Per-sample training augmentation (random crop, flip, normalise …), applied by the loader. */
  public Trainer withTrainTransforms(List<Transform> transforms) {
    this.trainTransforms = List.copyOf(transforms);
    return this;
  }

  /** Deterministic evaluation preprocessing (usually just the same normalisation). */
  public Trainer withEvalTransforms(List<Transform> transforms) {
    this.evalTransforms = List.copyOf(transforms);
    return this;
  }

  /** The heading of the curve plot (default: the model name). */
  public Trainer withTitle(String value) {
    this.title = value;
    return this;
  }

  /** Distils from {@code teacher} (kept in eval mode, never updated, never saved). */
  public Trainer withTeacher(Module teacher) {
    this.teacher = teacher;
    return this;
  }

  /**
   * Saves and restores {@code rng}'s state with each checkpoint — for generators the model draws
   * from while training, such as a dropout layer's.
   */
  public Trainer trackRng(String name, Rng rng) {
    rngs.put(name, rng);
    return this;
  }

  /** Where the per-epoch summary lines and progress go (default: standard output). */
  public Trainer withOutput(PrintStream summary, Progress bar) {
    this.out = summary;
    this.progress = bar;
    return this;
  }

  /**
   * Trains from the model's current weights; refuses a directory that already holds a run, or that
   * another process is training in ({@link RunLock}).
   */
  public TrainResult fit() {
    Path dir = config.outputDir();
    try (RunLock lock = RunLock.acquire(dir, out)) {
      if (Files.exists(dir.resolve(LAST))) {
        throw new KronetException(
            dir.resolve(LAST)
                + " exists: the output directory already holds a run; resume it or choose another"
                + " directory");
      }
      return run(new RunState(0, 0, new ArrayList<>(), -1, 0));
    }
  }

  /** Continues the run in the output directory from its {@code last.safetensors}. */
  public TrainResult resume() {
    return resume(config.outputDir().resolve(LAST));
  }

  /**
   * Continues from {@code file}: the model's weights and buffers, the momentum buffers, the step
   * counter, the tracked generators and the metrics so far are restored, after checking that the
   * checkpoint belongs to this model and configuration.
   */
  public TrainResult resume(Path file) {
    try (RunLock lock = RunLock.acquire(config.outputDir(), out)) {
      return resumeLocked(file);
    }
  }

  private TrainResult resumeLocked(Path file) {
    Checkpoint c = CheckpointFiles.read(file);
    ResumeChecks.requireCompatible(
        file, c, modelName, config, trainLoader().numBatches(), rngs.keySet());
    CheckpointFiles.loadModel(file, c, model);
    try {
      sgd.loadState(c.optimizer());
    } catch (KronetException e) {
      throw new CheckpointException("checkpoint " + file + ": " + e.getMessage(), e);
    }
    c.rngStates().forEach((name, state) -> rngs.get(name).setState(state));
    if (c.threads() != Parallel.threads()) {
      out.printf(
          Locale.ROOT,
          "warning: %s was written with %d threads, this run uses %d; the result will be close to,"
              + " not bitwise equal to, an uninterrupted run%n",
          file,
          c.threads(),
          Parallel.threads());
    }
    List<EpochMetrics> earlier =
        new ArrayList<>(List.of(RunRecords.parseMetrics(file, c.metricsJson())));
    out.printf(
        Locale.ROOT, "resuming %s from %s (epoch %d)%n", modelName, file, c.epochsCompleted());
    return run(
        new RunState(
            c.epochsCompleted(), c.globalStep(), earlier, c.bestValAccuracy(), c.bestEpoch()));
  }

  /** What changes from epoch to epoch, as saved in checkpoints. */
  private static final class RunState {
    int epochsDone;
    long step;
    final List<EpochMetrics> metrics;
    double bestAccuracy;
    int bestEpoch;

    RunState(int epochsDone, long step, List<EpochMetrics> metrics, double best, int bestEpoch) {
      this.epochsDone = epochsDone;
      this.step = step;
      this.metrics = metrics;
      this.bestAccuracy = best;
      this.bestEpoch = bestEpoch;
    }
  }

  private TrainResult run(RunState s) {
    Path dir = config.outputDir();
    DataLoader trainLoader = trainLoader();
    DataLoader valLoader =
        new DataLoader(validation, evalTransforms, LoaderOptions.evaluation(config.batchSize()));
    LrSchedule schedule = config.lrSchedule(trainLoader.numBatches());
    RunRecords records =
        new RunRecords(
            dir, title != null ? title : modelName, config.epochs(), runConfig(), s.metrics, out);
    while (s.epochsDone < config.epochs()) {
      int epoch = s.epochsDone + 1;
      long t0 = System.nanoTime();
      EpochTotals t = trainEpoch(trainLoader, schedule, epoch, s);
      double trainSeconds = (System.nanoTime() - t0) / 1e9;
      Evaluation v = Evaluation.of(model, valLoader, progress, label(epoch) + " eval");
      double seconds = (System.nanoTime() - t0) / 1e9;
      EpochMetrics m =
          new EpochMetrics(
              epoch,
              t.lossSum / t.seen,
              (double) t.correct / t.seen,
              v.loss(),
              v.accuracy(),
              t.lastLr,
              seconds,
              t.seen / Math.max(1e-9, trainSeconds));
      requireFiniteState(epoch, s.step, v.loss());
      s.epochsDone = epoch;
      s.metrics.add(m);
      boolean improved = v.accuracy() > s.bestAccuracy;
      if (improved) {
        s.bestAccuracy = v.accuracy();
        s.bestEpoch = epoch;
        CheckpointFiles.write(dir.resolve(BEST), checkpoint(s));
      }
      if (epoch % config.checkpointEvery() == 0 || epoch == config.epochs()) {
        CheckpointFiles.write(dir.resolve(LAST), checkpoint(s));
      }
      records.epochDone(s.metrics, m, improved);
    }
    return new TrainResult(
        s.metrics, s.bestAccuracy, s.bestEpoch, dir.resolve(LAST), dir.resolve(BEST));
  }

  private static final class EpochTotals {
    double lossSum;
    long correct;
    long seen;
    double lastLr;
  }

  private EpochTotals trainEpoch(DataLoader loader, LrSchedule schedule, int epoch, RunState s) {
    Objective objective = Objective.of(config);
    EpochTotals t = new EpochTotals();
    model.train();
    if (teacher != null) {
      teacher.eval();
    }
    progress.start(label(epoch) + " train", loader.numBatches());
    // The loader's epoch index is 0-based; its order and augmentation derive from (seed, index).
    try (BatchStream batches = loader.epoch(epoch - 1)) {
      int done = 0;
      for (Batch b : batches) {
        Tensor logits = model.forward(b.images());
        Tensor teacherLogits = null;
        if (teacher != null) {
          try (Autograd.Scope ignored = Autograd.noGrad()) {
            teacherLogits = teacher.forward(b.images());
          }
        }
        Tensor loss = objective.loss(logits, b.labels(), teacherLogits);
        float value = loss.item();
        if (!Float.isFinite(value)) {
          throw diverged(epoch, s.step, "the training loss is " + value + " at batch " + done);
        }
        sgd.zeroGrad();
        loss.backward();
        t.lastLr = schedule.lr(s.step);
        sgd.step(t.lastLr);
        sgd.zeroGrad();
        s.step++;
        t.lossSum += (double) value * b.size();
        t.correct += Comparisons.countCorrectTop1(logits, b.labels());
        t.seen += b.size();
        progress.update(
            ++done,
            t.seen,
            String.format(
                Locale.ROOT,
                "loss %.4f  top-1 %.2f%%  lr %.4g",
                t.lossSum / t.seen,
                100.0 * t.correct / t.seen,
                t.lastLr));
      }
    } finally {
      progress.finish();
    }
    return t;
  }

  /** Refuses to checkpoint a state whose weights, buffers or validation loss are not finite. */
  private void requireFiniteState(int epoch, long step, double valLoss) {
    if (!Double.isFinite(valLoss)) {
      throw diverged(epoch, step, "the validation loss is " + valLoss);
    }
    for (var e : model.stateDict().entrySet()) {
      if (!e.getValue().dtype().isFloating()) {
        continue;
      }
      for (float x : e.getValue().toFloats()) {
        if (!Float.isFinite(x)) {
          throw diverged(epoch, step, "'" + e.getKey() + "' holds " + x + " after the epoch");
        }
      }
    }
  }

  private NonFiniteLossException diverged(int epoch, long step, String what) {
    Path last = config.outputDir().resolve(LAST);
    return new NonFiniteLossException(
        String.format(
            Locale.ROOT,
            "training diverged in epoch %d at step %d: %s; stopped without saving this state (%s)",
            epoch,
            step,
            what,
            Files.exists(last) ? "the last good checkpoint is " + last : "no checkpoint yet"),
        epoch,
        step);
  }

  private DataLoader trainLoader() {
    return new DataLoader(
        train, trainTransforms, LoaderOptions.training(config.batchSize(), config.seed()));
  }

  private Checkpoint checkpoint(RunState s) {
    Map<String, Long> states = new LinkedHashMap<>();
    rngs.forEach((name, rng) -> states.put(name, rng.state()));
    return new Checkpoint(
        modelName,
        s.epochsDone,
        s.step,
        Parallel.threads(),
        model.stateDict(),
        sgd.state(),
        states,
        GSON.toJson(config.toMap()),
        GSON.toJson(s.metrics),
        s.bestAccuracy,
        s.bestEpoch);
  }

  /** The run's provenance, written at the head of metrics.json. */
  Map<String, Object> runConfig() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", modelName);
    m.put("parameters", model.numParameters());
    if (teacher != null) {
      m.put("teacher", teacher.getClass().getSimpleName());
    }
    m.put("seed", config.seed());
    m.put("threads", Parallel.threads());
    m.put("version", RunRecords.VERSION);
    m.put("java", Runtime.version().toString());
    m.put("train_data", train.toString());
    m.put("validation_data", validation.toString());
    m.put("hyper_parameters", config.toMap());
    return m;
  }

  private String label(int epoch) {
    return RunRecords.label(epoch, config.epochs());
  }
}
