package dev.kronet.training.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.Rng;
import dev.kronet.engine.io.SafeTensors;
import dev.kronet.engine.io.SafeTensorsFile;
import dev.kronet.engine.io.StoredTensor;
import dev.kronet.gkpd.algebra.DoubleTensor;
import dev.kronet.gkpd.algebra.Kronecker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecomposeCommandTest {
  /** A weight that is exactly A⊗B: the given split must recover it with zero error. */
  @Test
  void aKroneckerProductIsRecoveredExactlyAndWrittenAsFactors(@TempDir Path dir) throws Exception {
    Rng rng = new Rng(3);
    DoubleTensor a = DoubleTensor.randn(rng, 4, 2, 3, 3);
    DoubleTensor b = DoubleTensor.randn(rng, 2, 4, 1, 1);
    DoubleTensor w = Kronecker.kron(a, b);
    assertArrayEquals(new int[] {8, 8, 3, 3}, w.shape());
    Path in = dir.resolve("w.safetensors");
    SafeTensors.write(
        in, Map.of("conv.weight", StoredTensor.ofFloats(w.toFloatArray(), w.shape())), Map.of());
    Path out = dir.resolve("factors.safetensors");
    String printed =
        runCapturing(
            "decompose",
            "--weights",
            in.toString(),
            "--tensor",
            "conv.weight",
            "--a-shape",
            "4,2,3,3",
            "--rank",
            "1",
            "--out",
            out.toString(),
            "--compare");
    assertTrue(printed.contains("relative error 0.0000"), printed);
    assertTrue(printed.contains("Figure 1 at 2× compression"), printed);
    SafeTensorsFile f = SafeTensors.read(out);
    assertArrayEquals(new int[] {1, 4, 2, 3, 3}, f.tensors().get("A").shape());
    assertArrayEquals(new int[] {1, 2, 4, 1, 1}, f.tensors().get("B").shape());
    DoubleTensor rebuilt =
        Kronecker.kron(
            DoubleTensor.ofFloats(f.tensors().get("A").toFloats(), 4, 2, 3, 3),
            DoubleTensor.ofFloats(f.tensors().get("B").toFloats(), 2, 4, 1, 1));
    assertTrue(rebuilt.distance(w) <= 1e-5 * Math.sqrt(w.numel()), "factors rebuild W");
    assertEquals("1", f.metadata().get("rank"));
  }

  @Test
  void badArgumentsAreErrorsNamingWhatIsWrong(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("w.safetensors");
    SafeTensors.write(
        in, Map.of("conv.weight", StoredTensor.ofFloats(new float[16], 4, 4, 1, 1)), Map.of());
    var err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertEquals(1, KronetCli.run("decompose", "--weights", in.toString(), "--tensor", "nope"));
      assertEquals(
          1,
          KronetCli.run(
              "decompose",
              "--weights",
              in.toString(),
              "--tensor",
              "conv.weight",
              "--a-shape",
              "3,1,1,1"));
    } finally {
      System.setErr(old);
    }
    String msg = err.toString(StandardCharsets.UTF_8);
    assertTrue(msg.contains("no tensor 'nope'") && msg.contains("conv.weight"), msg);
    assertTrue(msg.contains("does not divide"), msg);
  }

  private static String runCapturing(String... args) {
    var bytes = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, KronetCli.run(args));
    } finally {
      System.setOut(old);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
