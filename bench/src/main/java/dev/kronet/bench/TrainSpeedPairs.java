package dev.kronet.bench;

import dev.kronet.engine.kernel.Parallel;
import java.util.Arrays;
import java.util.Locale;

/**
 * Training speed of model B relative to model A, measured as interleaved pairs in one JVM: both
 * models are warmed up in turns, then every round times {@code steps} training steps of each, A
 * then B in odd rounds and B then A in even ones, and reports B's images/s over A's. The ratio of
 * one round compares runs seconds apart, so the slow and fast phases of a shared machine (±20 %
 * between runs minutes apart on the 2-vCPU development VM) fall on both sides of it; the median
 * over rounds is the figure to quote, with the range. Separate JVMs per model ({@link
 * TrainThroughput}) measure absolute images/s comparable with the PyTorch anchors.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * dev.kronet.bench.TrainSpeedPairs threads warmup rounds steps modelA modelB} (models as in {@link
 * BenchModels}, 1×28×28 inputs unless a model file says otherwise; e.g. {@code 2 30 15 5 resnet20
 * runs/gkpd-5x.safetensors}).
 */
public final class TrainSpeedPairs {
  private TrainSpeedPairs() {}

  public static void main(String[] args) {
    if (args.length != 6) {
      System.err.println(
          "usage: TrainSpeedPairs threads warmup rounds steps modelA modelB"
              + " (models: resnet20, kron-anchor or a model file)");
      System.exit(2);
    }
    int threads = Integer.parseInt(args[0]);
    int warmup = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    int steps = Integer.parseInt(args[3]);
    Parallel.setThreads(threads);
    TrainingStep a = step(BenchModels.load(args[4], 3, 4, 1));
    TrainingStep b = step(BenchModels.load(args[5], 3, 4, 1));
    // warm up in turns, so that the JIT compiles the shared kernels on both models' shapes
    for (int i = 0; i < warmup; i += 5) {
      a.imagesPerSecond(5);
      b.imagesPerSecond(5);
    }
    double[] ratios = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      double ia;
      double ib;
      if (r % 2 == 0) {
        ia = a.imagesPerSecond(steps);
        ib = b.imagesPerSecond(steps);
      } else {
        ib = b.imagesPerSecond(steps);
        ia = a.imagesPerSecond(steps);
      }
      ratios[r] = ib / ia;
      System.out.printf(
          Locale.ROOT,
          "round %d: %s %.1f img/s, %s %.1f img/s, ratio %.3f%n",
          r + 1,
          args[4],
          ia,
          args[5],
          ib,
          ratios[r]);
    }
    double[] sorted = ratios.clone();
    Arrays.sort(sorted);
    long above = Arrays.stream(ratios).filter(v -> v > 1).count();
    System.out.printf(
        Locale.ROOT,
        "threads=%d rounds=%d steps=%d: %s over %s median %.3f, range %.3f–%.3f, %d of %d above 1%n",
        threads,
        rounds,
        steps,
        args[5],
        args[4],
        median(sorted),
        sorted[0],
        sorted[rounds - 1],
        above,
        rounds);
  }

  private static TrainingStep step(BenchModels.Loaded m) {
    return new TrainingStep(m.model(), m.channels(), m.classes(), 28);
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
