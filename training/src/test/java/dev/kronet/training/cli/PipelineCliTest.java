package dev.kronet.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.training.checkpoint.CheckpointFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's path through the CLI on a tiny synthetic set: train → compress → finetune → eval. */
class PipelineCliTest {
  private static final String[] DATA = {
    "--synthetic", "--train-limit", "64", "--test-limit", "32", "--batch-size", "32"
  };

  private static String run(String... args) {
    var bytes = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = KronetCli.run(args);
    } finally {
      System.setOut(old);
    }
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, String.join(" ", args) + "\n" + out);
    return out;
  }

  /**
   * Runs a command that must fail with exit code {@code code}; returns what it printed on stderr.
   */
  private static String runFailing(int code, String... args) {
    var err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(code, KronetCli.run(args), String.join(" ", args));
    } finally {
      System.setErr(old);
    }
    return err.toString(StandardCharsets.UTF_8);
  }

  /** {@code compress} of {@code checkpoint} at 4× into {@code out}, with {@code extra} options. */
  private static String[] compress(Path checkpoint, Path out, String... extra) {
    String[] head = {
      "compress",
      "--checkpoint",
      checkpoint.toString(),
      "--compression",
      "4",
      "--out",
      out.toString()
    };
    String[] all = java.util.Arrays.copyOf(head, head.length + extra.length);
    System.arraycopy(extra, 0, all, head.length, extra.length);
    return all;
  }

  /** The command and its own arguments, then the shared data options. */
  private static String[] with(String[] data, String... command) {
    String[] all = java.util.Arrays.copyOf(command, command.length + data.length);
    System.arraycopy(data, 0, all, command.length, data.length);
    return all;
  }

  @Test
  void trainCompressFinetuneAndEvaluateFromFilesAlone(@TempDir Path dir) {
    Path base = dir.resolve("base");
    run(with(DATA, "train", "--epochs", "1", "--out", base.toString()));
    Path best = base.resolve("best.safetensors");
    assertTrue(Files.exists(best) && Files.exists(base.resolve("metrics.csv")));

    Path compressed = dir.resolve("kron.safetensors");
    String table = run(compress(best, compressed));
    assertTrue(table.contains("GKPD-") && table.contains("total:"), table);
    String spec = CheckpointFiles.read(compressed).modelName();
    assertTrue(spec.contains("\"kronecker\""), spec);

    // a fixed R̂: every compressed layer's line says GKPD-1; one that no layer can hold is refused
    String rankOne = run(compress(best, dir.resolve("kron-r1.safetensors"), "--rank", "1"));
    long layers = rankOne.lines().filter(l -> l.contains("GKPD-")).count();
    assertTrue(layers > 0, rankOne);
    assertEquals(layers, rankOne.lines().filter(l -> l.contains("GKPD-1 ")).count(), rankOne);
    String refused =
        runFailing(1, compress(best, dir.resolve("kron-r64.safetensors"), "--rank", "64"));
    assertTrue(refused.contains("largest R̂ that fits"), refused);

    String info = run("info", "--checkpoint", compressed.toString());
    assertTrue(info.contains("KroneckerConv2d") && info.contains("(compressed)"), info);

    Path fine = dir.resolve("fine");
    run(
        with(
            DATA,
            "finetune",
            "--model-file",
            compressed.toString(),
            "--distill-from",
            best.toString(),
            "--epochs",
            "1",
            "--out",
            fine.toString()));
    String eval =
        run(with(DATA, "eval", "--checkpoint", fine.resolve("best.safetensors").toString()));
    assertTrue(eval.contains("top-1") && eval.contains("32 synthetic test images"), eval);
  }

  @Test
  void theDemoRunsItsThreeStagesAndReportsBothNetworks(@TempDir Path dir) {
    String out =
        run(
            "demo",
            "--synthetic",
            "--train-limit",
            "64",
            "--test-limit",
            "32",
            "--out",
            dir.toString());
    assertTrue(out.contains("1/3 baseline") && out.contains("3/3 retraining"), out);
    assertTrue(out.contains("target: params ≤") && out.contains("— met"), out);
    assertTrue(out.contains("ResNet-20 ") && out.contains("KroneckerResNet-20 "), out);
    assertTrue(Files.exists(dir.resolve("kronecker").resolve("curves.png")), out);
  }

  @Test
  void usageErrorsExitWithTwoAndBadFilesWithOne(@TempDir Path dir) throws Exception {
    assertEquals(2, KronetCli.run("compress", "--out", "x"));
    Path junk = dir.resolve("junk.safetensors");
    Files.writeString(junk, "not a checkpoint");
    String err = runFailing(1, "eval", "--synthetic", "--checkpoint", junk.toString());
    assertTrue(err.contains(junk.toString()), err);
  }
}
