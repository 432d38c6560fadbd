package dev.kronet.training.cli;

import dev.kronet.datasets.loader.DataLoader;
import dev.kronet.datasets.loader.LoaderOptions;
import dev.kronet.training.loop.Evaluation;
import dev.kronet.training.loop.Progress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Evaluates a checkpoint (trained, compressed or fine-tuned) on the test split. */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate a checkpoint's top-1 accuracy and loss on the test split.")
final class EvalCommand implements Callable<Integer> {
  @Option(names = "--checkpoint", required = true, description = "A kronet checkpoint file.")
  Path checkpoint;

  @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batchSize = 256;

  @Mixin DataOptions data;

  @Override
  public Integer call() {
    ModelFiles.Loaded m = ModelFiles.load(checkpoint);
    DataOptions.Data d = data.load(1);
    DataLoader loader =
        new DataLoader(d.test(), d.evalTransforms(), LoaderOptions.evaluation(batchSize));
    long start = System.nanoTime();
    Evaluation e = Evaluation.of(m.model(), loader, Progress.onStdout(), "eval");
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "%s: top-1 %.2f%%, loss %.4f on %d %s test images (%.1f s, %.0f img/s)%n",
        checkpoint,
        100 * e.accuracy(),
        e.loss(),
        e.images(),
        d.name(),
        seconds,
        e.images() / seconds);
    return 0;
  }
}
