package dev.kronet.training.loop;

import dev.kronet.datasets.ImageDataset;
import dev.kronet.datasets.Splits;
import dev.kronet.datasets.SyntheticImages;
import dev.kronet.datasets.transform.HorizontalFlip;
import dev.kronet.datasets.transform.RandomCrop;
import dev.kronet.datasets.transform.Transform;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.io.StoredTensor;
import dev.kronet.engine.nn.Activation;
import dev.kronet.engine.nn.BatchNorm2d;
import dev.kronet.engine.nn.Conv2d;
import dev.kronet.engine.nn.DropoutLayer;
import dev.kronet.engine.nn.Linear;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.nn.Pool;
import dev.kronet.engine.nn.Sequential;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Small models, data and configurations for trainer and checkpoint tests: 8×8 RGB synthetic images
 * of 4 classes, 256 for training and 64 for validation, 8 batches of 32 per epoch.
 */
public final class TinyRuns {
  public static final int CLASSES = 4;
  public static final int STEPS_PER_EPOCH = 8;
  private static final ImageDataset ALL =
      SyntheticImages.generate(new SyntheticImages.Spec(320, 3, 8, 8, CLASSES, 11, 0.1));
  public static final Splits.TrainValidation DATA = Splits.trainValidation(ALL, 0.2, 5);
  public static final List<Transform> AUGMENT = List.of(new RandomCrop(1), new HorizontalFlip(0.5));

  private TinyRuns() {}

  /**
   * conv3×3 → BN → ReLU → max-pool 2 → flatten → dropout → linear, initialised from {@code seed}.
   */
  public static final class ConvNet extends Module {
    private final Sequential body;
    public final Rng dropoutRng;

    public ConvNet(int width, long seed, float dropout) {
      Rng rng = new Rng(seed);
      dropoutRng = new Rng(seed ^ 0xD00D);
      body =
          registerModule(
              "body",
              new Sequential(
                  new Conv2d(3, width, 3, 1, 1, false, rng),
                  new BatchNorm2d(width),
                  Activation.relu(),
                  Pool.max(2, 2, 0),
                  Pool.flatten(),
                  new DropoutLayer(dropout, dropoutRng),
                  new Linear(width * 16, CLASSES, true, rng)));
    }

    @Override
    public Tensor forward(Tensor x) {
      return body.forward(x);
    }
  }

  /**
   * Wraps a model and misbehaves at its {@code at}-th training forward call (0-based): returns NaN
   * logits, throws (a simulated crash), or writes NaN into a buffer the output does not read.
   */
  public static final class Faulty extends Module {
    public enum Fault {
      NONE,
      NAN_OUTPUT,
      CRASH,
      POISON_BUFFER
    }

    private final Module net;
    private final Tensor poison;
    private final Fault fault;
    private final int at;
    private int calls;

    public Faulty(Module net, Fault fault, int at) {
      this.net = registerModule("net", net);
      this.poison = registerBuffer("poison", Tensor.zeros(1));
      this.fault = fault;
      this.at = at;
    }

    @Override
    public Tensor forward(Tensor x) {
      Tensor y = net.forward(x);
      if (!isTraining() || calls++ != at) {
        return y;
      }
      return switch (fault) {
        case NONE -> y;
        case NAN_OUTPUT -> y.mul(Float.NaN);
        case CRASH -> throw new IllegalStateException("simulated crash at call " + at);
        case POISON_BUFFER -> {
          poison.data()[0] = Float.NaN;
          yield y;
        }
      };
    }
  }

  /** Three epochs, momentum, cosine with one warm-up epoch, checkpoint each epoch. */
  public static TrainConfig config(Path dir) {
    return TrainConfig.defaults(3, dir)
        .withBatchSize(32)
        .withLr(0.05)
        .withSeed(42)
        .withSchedule(TrainConfig.Schedule.COSINE, List.of(), 0.1, 1);
  }

  public static Trainer trainer(String name, Module model, TrainConfig config) {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    return new Trainer(name, model, config, DATA.train(), DATA.validation())
        .withTrainTransforms(AUGMENT)
        .withOutput(quiet, new Progress(quiet, false, System::nanoTime));
  }

  /** Whether two state dicts hold the same names, dtypes, shapes and bytes. */
  public static boolean sameState(Map<String, StoredTensor> a, Map<String, StoredTensor> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (var e : a.entrySet()) {
      StoredTensor x = e.getValue();
      StoredTensor y = b.get(e.getKey());
      if (x.dtype() != y.dtype()
          || !Arrays.equals(x.shape(), y.shape())
          || !Arrays.equals(x.bytes(), y.bytes())) {
        return false;
      }
    }
    return true;
  }
}
