package dev.kronet.training.cli;

import dev.kronet.datasets.loader.DataLoader;
import dev.kronet.datasets.loader.LoaderOptions;
import dev.kronet.engine.Autograd;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.OpCounter;
import dev.kronet.training.compress.CompressedModel;
import dev.kronet.training.compress.CompressionRequest;
import dev.kronet.training.compress.LayerChoice;
import dev.kronet.training.compress.ModelCompressor;
import dev.kronet.training.loop.Evaluation;
import dev.kronet.training.loop.Progress;
import dev.kronet.training.loop.TrainConfig;
import dev.kronet.training.loop.TrainResult;
import dev.kronet.training.loop.Trainer;
import dev.kronet.training.models.ConvFactory;
import dev.kronet.training.models.ModelSpec;
import dev.kronet.training.models.ModelZoo;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The demo pipeline of the paper on Fashion-MNIST: train ResNet-20, compress every block
 * convolution with GKPD to about 5× fewer parameters, retrain the Kronecker network with
 * distillation from the baseline, and report both networks side by side.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Train ResNet-20 on Fashion-MNIST, compress it with GKPD, retrain, report.",
      "The report gives params, MACs, top-1 and time for both networks. The quick default",
      "trains on a subset for a few epochs (≤ 10 minutes on 2 cores); --full runs the",
      "documented recipe on the whole set (hours)."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--full", description = "The full recipe: all 60,000 images, 30 + 30 epochs.")
  boolean full;

  @Option(names = "--compression", description = "GKPD compression target (default: 5).")
  double compression = 5;

  @Option(names = "--out", description = "Run directory (default: runs/demo-<time>).")
  Path out;

  @Option(names = "--seed", description = "Seed (default: 1).")
  long seed = 1;

  @Mixin DataOptions data;

  @Override
  public Integer call() {
    int epochs = full ? 30 : 3;
    int finetuneEpochs = full ? 30 : 2;
    if (!full) {
      // Sized so the whole pipeline takes a few minutes on 2 idle cores (2.5 min measured;
      // docs/RESULTS.md).
      data.trainLimit = data.trainLimit == 0 ? 8000 : data.trainLimit;
      data.testLimit = data.testLimit == 0 ? 2000 : data.testLimit;
    }
    Path dir =
        out != null
            ? out
            : Path.of(
                "runs",
                "demo-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    System.out.printf(
        Locale.ROOT,
        "kronet demo (%s): ResNet-20 → GKPD %s× → retrain with distillation, on %d threads.%n",
        full
            ? "full recipe, hours"
            : "quick run: a subset and few epochs, 2 to 5 minutes on 2"
                + " cores; --full for the documented recipe",
        ratio(),
        Parallel.threads());
    DataOptions.Data d = data.load(seed);
    System.out.printf(
        Locale.ROOT,
        "data: %s, %d training and %d test images; output in %s%n%n",
        d.name(),
        d.train().size(),
        d.test().size(),
        dir);

    System.out.println("1/3 baseline ResNet-20");
    ModelSpec denseSpec = ModelSpec.dense("resnet20", 1, d.train().numClasses());
    Module baseline =
        ModelZoo.create("resnet20", 1, d.train().numClasses(), ConvFactory.DENSE, new Rng(seed));
    TrainConfig base = TrainConfig.defaults(epochs, dir.resolve("baseline")).withSeed(seed);
    long t0 = System.nanoTime();
    TrainResult b =
        new Trainer(denseSpec.toJson(), baseline, base, d.train(), d.test())
            .withTitle("ResNet-20 on " + d.name())
            .withTrainTransforms(d.trainTransforms())
            .withEvalTransforms(d.evalTransforms())
            .fit();
    double baseSeconds = (System.nanoTime() - t0) / 1e9;

    System.out.printf(Locale.ROOT, "%n2/3 GKPD compression to %s× (uniform per layer)%n", ratio());
    CompressionRequest layers = CompressionRequest.gkpd(compression);
    long denseMacs =
        ModelCompressor.denseMacs(
            ModelCompressor.eligibleSites(
                "resnet20", baseline, 1, d.train().numClasses(), 28, 28, layers));
    // Never more compute than the dense layers (the paper limits the search by FLOPs too).
    CompressionRequest request = layers.withMaxMacs(denseMacs);
    CompressedModel c =
        ModelCompressor.compress(
            "resnet20", baseline, 1, d.train().numClasses(), 28, 28, request, new Rng(seed));
    System.out.print(LayerChoice.table(c.layers(), request.target()));
    Module student = c.model();
    ModelSpec studentSpec = ModelSpec.describe("resnet20", 1, d.train().numClasses(), student);
    double initialTop1 = evaluate(student, d).accuracy();
    System.out.printf(Locale.ROOT, "top-1 right after compression: %.2f%%%n", 100 * initialTop1);

    System.out.printf(Locale.ROOT, "%n3/3 retraining KroneckerResNet-20 with distillation%n");
    TrainConfig fine =
        TrainConfig.defaults(finetuneEpochs, dir.resolve("kronecker"))
            .withSeed(seed)
            .withLr(full ? 0.05 : 0.02)
            .withDistillation(0.5, 4);
    long t1 = System.nanoTime();
    baseline.eval();
    TrainResult k =
        new Trainer(studentSpec.toJson(), student, fine, d.train(), d.test())
            .withTitle(
                String.format(
                    Locale.ROOT, "KroneckerResNet-20 (GKPD %s×) on %s", ratio(), d.name()))
            .withTrainTransforms(d.trainTransforms())
            .withEvalTransforms(d.evalTransforms())
            .withTeacher(baseline)
            .fit();
    double kronSeconds = (System.nanoTime() - t1) / 1e9;

    System.out.printf(Locale.ROOT, "%nresult (%s, %d test images)%n", d.name(), d.test().size());
    String row = "%-20s %10s %12s %8s %10s %12s%n";
    System.out.printf(
        Locale.ROOT, row, "network", "params", "MACs/image", "top-1", "train (s)", "infer img/s");
    report(row, "ResNet-20", baseline, b.bestValAccuracy(), baseSeconds, d);
    report(row, "KroneckerResNet-20", student, k.bestValAccuracy(), kronSeconds, d);
    System.out.printf(
        Locale.ROOT,
        "%ncurves: %s, %s%ncheckpoints: %s, %s%n",
        dir.resolve("baseline").resolve(Trainer.PLOT),
        dir.resolve("kronecker").resolve(Trainer.PLOT),
        b.best(),
        k.best());
    if (!full) {
      System.out.println(
          "(quick run: accuracies are far from converged; ./kronet demo --full runs the recipe)");
    }
    return 0;
  }

  private String ratio() {
    return java.math.BigDecimal.valueOf(compression).stripTrailingZeros().toPlainString();
  }

  private static long macs(Module m, int size) {
    m.eval();
    try (var s = Autograd.noGrad();
        OpCounter c = OpCounter.count()) {
      m.forward(Tensor.zeros(1, 1, size, size));
      return c.macs();
    }
  }

  private static Evaluation evaluate(Module m, DataOptions.Data d) {
    DataLoader loader = new DataLoader(d.test(), d.evalTransforms(), LoaderOptions.evaluation(256));
    var silent = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
    return Evaluation.of(m, loader, new Progress(silent, false, System::nanoTime), "eval");
  }

  private static void report(
      String row, String name, Module m, double top1, double seconds, DataOptions.Data d) {
    long start = System.nanoTime();
    Evaluation e = evaluate(m, d);
    double rate = e.images() / ((System.nanoTime() - start) / 1e9);
    System.out.printf(
        Locale.ROOT,
        row,
        name,
        m.numParameters(),
        macs(m, 28),
        String.format(Locale.ROOT, "%.2f%%", 100 * top1),
        String.format(Locale.ROOT, "%.0f", seconds),
        String.format(Locale.ROOT, "%.0f", rate));
  }
}
