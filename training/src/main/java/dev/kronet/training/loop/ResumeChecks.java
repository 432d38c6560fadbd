package dev.kronet.training.loop;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.kronet.training.checkpoint.Checkpoint;
import dev.kronet.training.checkpoint.CheckpointException;
import dev.kronet.training.checkpoint.CheckpointFiles;
import java.nio.file.Path;
import java.util.Set;

/**
 * What must hold before a run continues from a checkpoint, so that the continuation computes what
 * the interrupted run would have: same model, same arithmetic-relevant configuration ({@link
 * TrainConfig#resumeRelevant()}), same number of batches per epoch, same tracked generators.
 * Checked before anything is loaded; each failure names the file and what differs.
 */
final class ResumeChecks {
  private ResumeChecks() {}

  static void requireCompatible(
      Path file,
      Checkpoint c,
      String modelName,
      TrainConfig config,
      int stepsPerEpoch,
      Set<String> rngNames) {
    if (!c.modelName().equals(modelName)) {
      throw new CheckpointException(
          "checkpoint "
              + file
              + " was written for model '"
              + c.modelName()
              + "', this run trains '"
              + modelName
              + "'");
    }
    JsonObject now = new Gson().toJsonTree(config.resumeRelevant()).getAsJsonObject();
    String diff = CheckpointFiles.configDifferences(file, c, now);
    if (!diff.isEmpty()) {
      throw new CheckpointException(
          "checkpoint "
              + file
              + " was written with another configuration, so resuming would not continue that"
              + " run:"
              + diff);
    }
    long expectedStep = (long) c.epochsCompleted() * stepsPerEpoch;
    if (c.globalStep() != expectedStep) {
      throw new CheckpointException(
          "checkpoint "
              + file
              + " is at step "
              + c.globalStep()
              + " after "
              + c.epochsCompleted()
              + " epochs, but this training set gives "
              + expectedStep
              + " (a different data set or batch size?)");
    }
    if (!c.rngStates().keySet().equals(rngNames)) {
      throw new CheckpointException(
          "checkpoint "
              + file
              + " holds generator states "
              + c.rngStates().keySet()
              + ", this run tracks "
              + rngNames);
    }
  }
}
