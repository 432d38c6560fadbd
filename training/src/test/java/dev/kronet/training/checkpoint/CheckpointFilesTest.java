package dev.kronet.training.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.io.StoredTensor;
import dev.kronet.engine.nn.ModuleFiles;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.Property;
import dev.kronet.training.loop.TinyRuns;
import dev.kronet.training.loop.TinyRuns.ConvNet;
import dev.kronet.training.loop.TrainConfig;
import dev.kronet.training.loop.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {
  @TempDir static Path dir;
  static Path run;
  static Path last;
  static TrainConfig config;

  /** One real one-epoch run shared by the tests below (they only read or copy its checkpoint). */
  @BeforeAll
  static void trainOneEpoch() {
    run = dir.resolve("run");
    config = TinyRuns.config(run).withEpochs(1);
    ConvNet net = new ConvNet(4, 1, 0.1f);
    TinyRuns.trainer("tiny", net, config).trackRng("dropout", net.dropoutRng).fit();
    last = run.resolve(Trainer.LAST);
  }

  private static Path copy(String name) throws Exception {
    Path p = dir.resolve(name);
    Files.copy(last, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return p;
  }

  private static void assertRefused(Path file, String fragment, Runnable action) {
    var e = assertThrows(CheckpointException.class, action::run);
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void aCheckpointHoldsTheModelOptimizerAndRunState() {
    Checkpoint c = CheckpointFiles.read(last);
    assertEquals("tiny", c.modelName());
    assertEquals(1, c.epochsCompleted());
    assertEquals(TinyRuns.STEPS_PER_EPOCH, c.globalStep());
    ConvNet fresh = new ConvNet(4, 7, 0.1f);
    assertEquals(fresh.stateDict().keySet(), c.model().keySet());
    assertEquals(fresh.namedParameters().keySet(), c.optimizer().keySet());
    assertEquals(java.util.Set.of("dropout"), c.rngStates().keySet());
    assertTrue(c.configJson().contains("\"seed\":42"), c.configJson());
    assertTrue(c.metricsJson().startsWith("[{\"epoch\":1"), c.metricsJson());
    CheckpointFiles.loadModel(last, fresh);
    assertTrue(TinyRuns.sameState(c.model(), fresh.stateDict()));
  }

  @Test
  void aTruncatedFileIsRefused() throws Exception {
    Path p = copy("truncated.safetensors");
    byte[] bytes = Files.readAllBytes(p);
    Files.write(p, Arrays.copyOf(bytes, bytes.length - 9));
    assertRefused(p, "cannot be read", () -> CheckpointFiles.read(p));
  }

  @Test
  void aFlippedByteInTheTensorsIsDetected() throws Exception {
    Path p = copy("garbled.safetensors");
    byte[] bytes = Files.readAllBytes(p);
    bytes[bytes.length - 3] ^= 0x10;
    Files.write(p, bytes);
    assertRefused(p, "is damaged", () -> CheckpointFiles.read(p));
  }

  @Test
  void anyFlippedBitAnywhereInTheFileIsRefused() throws Exception {
    byte[] good = Files.readAllBytes(last);
    Path p = dir.resolve("flipped.safetensors");
    Property.check(
        "anyFlippedBitIsRefused",
        150,
        Gens.ints(0, 8 * good.length - 1),
        bit -> {
          byte[] bad = good.clone();
          bad[bit / 8] ^= (byte) (1 << (bit % 8));
          try {
            Files.write(p, bad);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          assertRefused(p, "", () -> CheckpointFiles.read(p));
        });
  }

  @Test
  void anEditedMetadataValueIsDetected() throws Exception {
    Path p = copy("edited.safetensors");
    String text = new String(Files.readAllBytes(p), java.nio.charset.StandardCharsets.ISO_8859_1);
    text = text.replace("\"global_step\":\"8\"", "\"global_step\":\"9\"");
    Files.write(p, text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertRefused(p, "is damaged", () -> CheckpointFiles.read(p));
  }

  @Test
  void aPlainWeightsFileIsNotACheckpoint() {
    Path p = dir.resolve("weights.safetensors");
    ModuleFiles.save(new ConvNet(4, 1, 0f), p, Map.of());
    assertRefused(p, "'format' is missing", () -> CheckpointFiles.read(p));
  }

  @Test
  void anotherModelsCheckpointIsRefusedAndLeavesTheModelUnchanged() {
    ConvNet wider = new ConvNet(6, 1, 0f);
    Map<String, StoredTensor> before = wider.stateDict();
    assertRefused(last, "mismatch for body.0.weight", () -> CheckpointFiles.loadModel(last, wider));
    assertTrue(TinyRuns.sameState(before, wider.stateDict()));
    assertRefused(
        last,
        "written for model 'tiny', this run trains 'other'",
        () -> TinyRuns.trainer("other", new ConvNet(4, 1, 0.1f), config).resume(last));
  }

  @Test
  void resumingWithAnotherConfigurationIsRefused() {
    ConvNet net = new ConvNet(4, 1, 0.1f);
    assertRefused(
        last,
        "lr: checkpoint 0.05, now 0.01",
        () ->
            TinyRuns.trainer("tiny", net, config.withLr(0.01))
                .trackRng("dropout", net.dropoutRng)
                .resume(last));
    ConvNet other = new ConvNet(4, 1, 0.1f);
    assertRefused(
        last,
        "is at step 8 after 1 epochs, but this training set gives 2",
        () ->
            new Trainer(
                    "tiny", other, config, TinyRuns.DATA.validation(), TinyRuns.DATA.validation())
                .trackRng("dropout", other.dropoutRng)
                .resume(last));
    assertRefused(
        last,
        "generator states [dropout]",
        () -> TinyRuns.trainer("tiny", new ConvNet(4, 1, 0.1f), config).resume(last));
  }
}
