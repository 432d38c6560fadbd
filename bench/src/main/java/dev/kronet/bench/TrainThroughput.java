package dev.kronet.bench;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.nn.Module;
import java.util.List;
import java.util.Locale;

/**
 * Training and inference images/s of ResNet-20 and of the Kronecker ResNet-20 of the reference
 * {@code bench/anchors/torch_models.py} (every 3×3 conv but the stem as A F/div×C/div×3×3 ⊗ B
 * div×div×1×1, R̂ = rank), batch 128, measured exactly as the reference {@code
 * bench/anchors/torch_train_steps.py} does: warm-up steps, then 10 timed steps (SGD lr 0.1,
 * momentum 0.9, Nesterov, weight decay 5e-4). The JIT needs longer than 3 steps to settle, so more
 * warm-up steps are run first (argument 4, 30 by default: after 10, on two threads, the compiler
 * threads still took CPU time from the timed steps). Then 10 more steps are timed one by one and
 * the best and median step are printed as images/s too: on a shared machine they are the steadier
 * figures ({@code bench/anchors/torch_train_steps.py} prints the same for PyTorch).
 *
 * <p>Without more arguments both networks are measured. Otherwise only the models named after the
 * six numbers are, in that order: {@code resnet20}, {@code kron-anchor}, or model files written by
 * {@code kronet train}, {@code compress} or {@code finetune} (with their own input channels and
 * classes; {@code size} is the image size). Naming one model per run measures each in a fresh JVM:
 * a model measured after others in the same JVM ran up to ~10 % slower here (the JIT compiled the
 * shared kernels on the first model's shapes).
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * dev.kronet.bench.TrainThroughput [threads] [rank] [div] [warmup] [channels] [size] [resnet20 |
 * kron-anchor | model file]…}
 */
public final class TrainThroughput {
  private TrainThroughput() {}

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int rank = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    int div = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    int channels = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    int size = args.length > 5 ? Integer.parseInt(args[5]) : 28;
    Parallel.setThreads(threads);
    List<String> models =
        args.length > 6
            ? List.of(args).subList(6, args.length)
            : List.of("resnet20", "kron-anchor");
    for (String model : models) {
      BenchModels.Loaded m = BenchModels.load(model, rank, div, channels);
      measure(m.label(), m.model(), threads, warmup, m.channels(), m.classes(), size);
    }
  }

  private static void measure(
      String label, Module m, int threads, int warmup, int channels, int classes, int size) {
    TrainingStep step = new TrainingStep(m, channels, classes, size);
    for (int i = 0; i < warmup; i++) {
      step.run();
    }
    int n = 10;
    double train = step.imagesPerSecond(n);
    double[] steps = step.sortedStepSeconds(n);
    double best = TrainingStep.BATCH / steps[0];
    double median = TrainingStep.BATCH / steps[n / 2];
    m.eval();
    double infer;
    try (var s = Autograd.noGrad()) {
      for (int i = 0; i < warmup; i++) {
        m.forward(step.input());
      }
      long t = System.nanoTime();
      for (int i = 0; i < n; i++) {
        m.forward(step.input());
      }
      infer = (double) TrainingStep.BATCH * n / ((System.nanoTime() - t) / 1e9);
    }
    System.out.printf(
        Locale.ROOT,
        "%s threads=%d params=%d train_img_per_s=%.1f train_step_best=%.1f train_step_median=%.1f"
            + " infer_img_per_s=%.1f%n",
        label,
        threads,
        m.numParameters(),
        train,
        best,
        median,
        infer);
  }
}
