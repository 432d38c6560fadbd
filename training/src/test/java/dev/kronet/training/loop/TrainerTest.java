package dev.kronet.training.loop;

import static dev.kronet.training.loop.TinyRuns.STEPS_PER_EPOCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.kronet.datasets.Splits;
import dev.kronet.datasets.SyntheticImages;
import dev.kronet.engine.KronetException;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.training.checkpoint.Checkpoint;
import dev.kronet.training.checkpoint.CheckpointFiles;
import dev.kronet.training.loop.TinyRuns.ConvNet;
import dev.kronet.training.loop.TinyRuns.Faulty;
import dev.kronet.training.loop.TinyRuns.Faulty.Fault;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  @Test
  void aSmallConvNetLearnsSyntheticImagesAndTheRunWritesItsRecords(@TempDir Path dir)
      throws Exception {
    var summary = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(summary, true, StandardCharsets.UTF_8);
    // Four times the shared set, so that BatchNorm's running statistics settle within 3 epochs.
    var data =
        Splits.trainValidation(
            SyntheticImages.generate(new SyntheticImages.Spec(1280, 3, 8, 8, 4, 11, 0.1)), 0.2, 5);
    TrainConfig config = TinyRuns.config(dir).withLabelSmoothing(0.1);
    TrainResult r =
        new Trainer("tiny-convnet", new ConvNet(8, 1, 0f), config, data.train(), data.validation())
            .withTrainTransforms(TinyRuns.AUGMENT)
            .withOutput(
                out,
                new Progress(
                    new PrintStream(OutputStream.nullOutputStream()), false, System::nanoTime))
            .fit();

    assertEquals(3, r.epochs().size());
    assertTrue(r.lastEpoch().valAccuracy() >= 0.95, "validation top-1 " + r.epochs());
    assertTrue(r.lastEpoch().trainLoss() < r.epochs().get(0).trainLoss(), r.epochs().toString());
    assertTrue(Files.exists(dir.resolve(Trainer.LAST)) && Files.exists(dir.resolve(Trainer.BEST)));
    Checkpoint best = CheckpointFiles.read(dir.resolve(Trainer.BEST));
    assertEquals(r.bestEpoch(), best.epochsCompleted());
    assertEquals(r.bestValAccuracy(), r.epochs().get(r.bestEpoch() - 1).valAccuracy());

    List<String> csv = Files.readAllLines(dir.resolve("metrics.csv"));
    assertEquals(MetricsLog.HEADER, csv.get(0));
    assertEquals(4, csv.size());
    JsonObject json =
        JsonParser.parseString(Files.readString(dir.resolve("metrics.json"))).getAsJsonObject();
    JsonObject run = json.getAsJsonObject("config");
    assertEquals("tiny-convnet", run.get("model").getAsString());
    assertEquals(42, run.get("seed").getAsLong());
    assertEquals(Parallel.threads(), run.get("threads").getAsInt());
    assertEquals(RunRecords.VERSION, run.get("version").getAsString());
    assertEquals(0.1, run.getAsJsonObject("hyper_parameters").get("label_smoothing").getAsDouble());
    assertEquals(3, json.getAsJsonArray("epochs").size());
    assertNotNull(ImageIO.read(dir.resolve(Trainer.PLOT).toFile()));
    String lines = summary.toString(StandardCharsets.UTF_8);
    assertTrue(lines.contains("epoch 3/3  train loss"), lines);
  }

  /**
   * The run is killed in the middle of epoch 2; a fresh process (new model with other initial
   * weights, new trainer) resumes from last.safetensors and must end bitwise equal to a run that
   * was never interrupted — weights, BatchNorm statistics, and the dropout generator's stream.
   */
  @Test
  void aRunResumedAfterACrashEndsBitwiseEqualToAnUninterruptedRun(@TempDir Path dir)
      throws Exception {
    TrainConfig straightConfig = TinyRuns.config(dir.resolve("straight"));
    ConvNet straight = new ConvNet(8, 1, 0.2f);
    Faulty straightNet = new Faulty(straight, Fault.NONE, 0);
    TrainResult expected =
        TinyRuns.trainer("net", straightNet, straightConfig)
            .trackRng("dropout", straight.dropoutRng)
            .fit();

    TrainConfig config = TinyRuns.config(dir.resolve("interrupted"));
    ConvNet first = new ConvNet(8, 1, 0.2f);
    Faulty crashing = new Faulty(first, Fault.CRASH, STEPS_PER_EPOCH + 3);
    Trainer doomed =
        TinyRuns.trainer("net", crashing, config).trackRng("dropout", first.dropoutRng);
    assertThrows(IllegalStateException.class, doomed::fit);
    assertEquals(
        1, CheckpointFiles.read(config.outputDir().resolve(Trainer.LAST)).epochsCompleted());

    ConvNet second = new ConvNet(8, 99, 0.2f);
    Faulty resumedNet = new Faulty(second, Fault.NONE, 0);
    TrainResult resumed =
        TinyRuns.trainer("net", resumedNet, config).trackRng("dropout", second.dropoutRng).resume();

    assertTrue(TinyRuns.sameState(straightNet.stateDict(), resumedNet.stateDict()));
    assertEquals(straight.dropoutRng.state(), second.dropoutRng.state());
    assertEquals(3, resumed.epochs().size());
    for (int e = 0; e < 3; e++) {
      assertEquals(expected.epochs().get(e).valLoss(), resumed.epochs().get(e).valLoss());
      assertEquals(expected.epochs().get(e).trainLoss(), resumed.epochs().get(e).trainLoss());
    }
    assertEquals(4, Files.readAllLines(config.outputDir().resolve("metrics.csv")).size());
    Checkpoint a = CheckpointFiles.read(straightConfig.outputDir().resolve(Trainer.LAST));
    Checkpoint b = CheckpointFiles.read(config.outputDir().resolve(Trainer.LAST));
    assertEquals(a.globalStep(), b.globalStep());
    assertTrue(TinyRuns.sameState(a.model(), b.model()));
  }

  @Test
  void aFreshRunRefusesADirectoryThatHoldsARun(@TempDir Path dir) {
    TrainConfig config = TinyRuns.config(dir).withEpochs(1);
    TinyRuns.trainer("net", new ConvNet(4, 1, 0f), config).fit();
    var e =
        assertThrows(
            KronetException.class,
            () -> TinyRuns.trainer("net", new ConvNet(4, 1, 0f), config).fit());
    assertTrue(e.getMessage().contains(Trainer.LAST) && e.getMessage().contains("resume"));
    // A finished run resumes to nothing more to do.
    TrainResult again = TinyRuns.trainer("net", new ConvNet(4, 1, 0f), config).resume();
    assertEquals(1, again.epochs().size());
  }

  @Test
  void resumingWithAnotherThreadCountWarnsThatTheResultIsNotBitwiseEqual(@TempDir Path dir) {
    TrainConfig config = TinyRuns.config(dir).withEpochs(1);
    TinyRuns.trainer("net", new ConvNet(4, 1, 0f), config).fit();
    var bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int threads = Parallel.threads();
    try (var more = Parallel.withThreads(threads + 1)) {
      TinyRuns.trainer("net", new ConvNet(4, 1, 0f), config)
          .withOutput(out, new Progress(out, false, System::nanoTime))
          .resume();
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(
        text.contains("written with " + threads + " threads, this run uses " + (threads + 1)),
        text);
  }
}
