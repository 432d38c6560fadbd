package dev.kronet.training.loop;

import dev.kronet.datasets.loader.Batch;
import dev.kronet.datasets.loader.BatchStream;
import dev.kronet.datasets.loader.DataLoader;
import dev.kronet.engine.Autograd;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.Comparisons;
import dev.kronet.engine.ops.Losses;
import java.util.Locale;

/**
 * A model's mean cross-entropy (no smoothing) and top-1 accuracy over a data set, computed in
 * evaluation mode (BatchNorm uses its running statistics, dropout is off) without recording a
 * graph. The mode the model was in is restored afterwards.
 */
public record Evaluation(double loss, double accuracy, long images) {

  public static Evaluation of(Module model, DataLoader loader, Progress progress, String label) {
    boolean wasTraining = model.isTraining();
    model.eval();
    double lossSum = 0;
    long correct = 0;
    long seen = 0;
    progress.start(label, loader.numBatches());
    try (Autograd.Scope ignored = Autograd.noGrad();
        BatchStream batches = loader.epoch(0)) {
      int done = 0;
      for (Batch b : batches) {
        Tensor logits = model.forward(b.images());
        // The loss is a batch mean: weight it by the batch size so a short last batch counts right.
        lossSum += (double) Losses.crossEntropy(logits, b.labels(), 0f).item() * b.size();
        correct += Comparisons.countCorrectTop1(logits, b.labels());
        seen += b.size();
        progress.update(
            ++done,
            seen,
            String.format(
                Locale.ROOT, "loss %.4f  top-1 %.2f%%", lossSum / seen, 100.0 * correct / seen));
      }
    } finally {
      progress.finish();
      model.train(wasTraining);
    }
    return new Evaluation(lossSum / seen, (double) correct / seen, seen);
  }
}
