package dev.kronet.training.loop;

import java.nio.file.Path;
import java.util.List;

/**
 * What a run produced: every epoch's metrics (including those of the run it resumed), the best
 * validation top-1 and its epoch, and where the checkpoints are.
 */
public record TrainResult(
    List<EpochMetrics> epochs, double bestValAccuracy, int bestEpoch, Path last, Path best) {
  public TrainResult {
    epochs = List.copyOf(epochs);
  }

  /** The metrics of the final epoch. */
  public EpochMetrics lastEpoch() {
    return epochs.get(epochs.size() - 1);
  }
}
