package dev.kronet.training.loop;

import static dev.kronet.training.loop.TinyRuns.STEPS_PER_EPOCH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.training.checkpoint.Checkpoint;
import dev.kronet.training.checkpoint.CheckpointFiles;
import dev.kronet.training.loop.TinyRuns.ConvNet;
import dev.kronet.training.loop.TinyRuns.Faulty;
import dev.kronet.training.loop.TinyRuns.Faulty.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DivergenceTest {

  @Test
  void aNanLossStopsTheRunAndLeavesTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
    // A step schedule, so that a one-epoch run is the two-epoch run's first epoch.
    TrainConfig config =
        TinyRuns.config(dir)
            .withEpochs(2)
            .withSchedule(TrainConfig.Schedule.STEP, java.util.List.of(1), 0.5, 0);
    int badStep = STEPS_PER_EPOCH + 5;
    Faulty net = new Faulty(new ConvNet(4, 1, 0f), Fault.NAN_OUTPUT, badStep);
    Trainer trainer = TinyRuns.trainer("net", net, config);
    var e = assertThrows(NonFiniteLossException.class, trainer::fit);
    assertEquals(2, e.epoch());
    assertEquals(badStep, e.step());
    assertTrue(
        e.getMessage().contains("epoch 2 at step " + badStep)
            && e.getMessage().contains("NaN")
            && e.getMessage().contains(Trainer.LAST),
        e.getMessage());

    // The checkpoint is epoch 1's and equals an uninterrupted one-epoch run's.
    Checkpoint kept = CheckpointFiles.read(dir.resolve(Trainer.LAST));
    assertEquals(1, kept.epochsCompleted());
    assertEquals(STEPS_PER_EPOCH, kept.globalStep());
    Faulty reference = new Faulty(new ConvNet(4, 1, 0f), Fault.NONE, 0);
    TinyRuns.trainer("net", reference, config.withEpochs(1).withOutputDir(dir.resolve("ref")))
        .fit();
    assertTrue(TinyRuns.sameState(reference.stateDict(), kept.model()));
  }

  @Test
  void aNonFiniteBufferAtAnEpochsEndIsNeverCheckpointed(@TempDir Path dir) throws Exception {
    TrainConfig config = TinyRuns.config(dir).withEpochs(2);
    int lastStepOfEpoch2 = 2 * STEPS_PER_EPOCH - 1;
    Faulty net = new Faulty(new ConvNet(4, 1, 0f), Fault.POISON_BUFFER, lastStepOfEpoch2);
    Path last = dir.resolve(Trainer.LAST);
    var e = assertThrows(NonFiniteLossException.class, TinyRuns.trainer("net", net, config)::fit);
    assertEquals(2, e.epoch());
    assertTrue(e.getMessage().contains("'poison' holds NaN"), e.getMessage());
    Checkpoint kept = CheckpointFiles.read(last);
    assertEquals(1, kept.epochsCompleted());
    float[] poison = kept.model().get("poison").toFloats();
    assertArrayEquals(new float[] {0f}, poison);
  }

  @Test
  void aHugeLearningRateDivergesInTheFirstEpochWithoutWritingACheckpoint(@TempDir Path dir) {
    TrainConfig config =
        TinyRuns.config(dir)
            .withLr(1e38)
            .withSchedule(TrainConfig.Schedule.STEP, java.util.List.of(), 0.1, 0);
    var e =
        assertThrows(
            NonFiniteLossException.class,
            TinyRuns.trainer("net", new ConvNet(4, 1, 0f), config)::fit);
    assertEquals(1, e.epoch());
    assertTrue(e.getMessage().contains("no checkpoint yet"), e.getMessage());
    assertFalse(Files.exists(dir.resolve(Trainer.LAST)));
  }
}
