package dev.kronet.training.checkpoint;

import dev.kronet.engine.Tensor;
import dev.kronet.engine.io.StoredTensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training run frozen at the end of an epoch: everything needed to continue it so that it ends
 * exactly where an uninterrupted run would (see docs/TRAINING.md).
 *
 * @param modelName the model's name in the zoo (checked on resume)
 * @param epochsCompleted epochs finished when this was written (1-based count)
 * @param globalStep optimisation steps taken so far (the schedule's position)
 * @param threads the compute thread count of the run (bitwise resume needs the same count)
 * @param model the model's state dict (parameters and buffers) by its own dotted names
 * @param optimizer SGD momentum buffers by parameter name
 * @param rngStates the states of the random generators the run draws from, by name
 * @param configJson the run configuration as a JSON object
 * @param metricsJson the per-epoch metrics so far as a JSON array
 * @param bestValAccuracy the best validation top-1 so far (fraction)
 * @param bestEpoch the epoch that reached it (0 when none yet)
 */
public record Checkpoint(
    String modelName,
    int epochsCompleted,
    long globalStep,
    int threads,
    Map<String, StoredTensor> model,
    Map<String, Tensor> optimizer,
    Map<String, Long> rngStates,
    String configJson,
    String metricsJson,
    double bestValAccuracy,
    int bestEpoch) {
  public Checkpoint {
    model = Collections.unmodifiableMap(new LinkedHashMap<>(model));
    optimizer = Collections.unmodifiableMap(new LinkedHashMap<>(optimizer));
    rngStates = Collections.unmodifiableMap(new LinkedHashMap<>(rngStates));
  }
}
