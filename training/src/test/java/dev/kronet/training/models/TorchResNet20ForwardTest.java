package dev.kronet.training.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.io.DType;
import dev.kronet.engine.io.SafeTensors;
import dev.kronet.engine.io.StoredTensor;
import dev.kronet.engine.nn.LoadResult;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.nn.ModuleFiles;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's ResNet-20 weights (1 channel, 10 classes, from {@code golden/make_model_golden.py})
 * load strictly into kronet's resnet20, and kronet's forward pass reproduces PyTorch's in eval mode
 * (running statistics) and train mode (batch statistics).
 *
 * <p>Tolerance. The reference is PyTorch's forward in float64, so the comparison measures kronet's
 * float32 rounding alone. PyTorch's own float32 forward differs from that reference by {@code
 * e_torch} (computed from the fixture; about 1e-7 to 1e-6 of the logits' scale). Both
 * implementations round the same ~20 layers of dot products of up to K = 576 terms in float32, in
 * different summation orders, so their errors are of the same order but not equal: kronet must be
 * within {@value #SLACK}·e_torch plus a floor of {@value #FLOOR_ULPS} float32 ulps of the logits'
 * scale (u = 2⁻²⁴ per rounding: the floor guards against a lucky tiny e_torch). An indexing or
 * semantics bug moves logits by O(scale), orders of magnitude above this bound.
 */
class TorchResNet20ForwardTest {
  static final double SLACK = 8;
  static final double FLOOR_ULPS = 64;

  private static Map<String, StoredTensor> io;

  @BeforeAll
  static void readFixture() {
    io = SafeTensors.read(resource("/golden/resnet20_io.safetensors")).tensors();
  }

  static Path resource(String name) {
    try {
      return Path.of(TorchResNet20ForwardTest.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Module loadedResnet20() {
    Module net = ModelZoo.create("resnet20", 1, 10, ConvFactory.DENSE, new Rng(1));
    LoadResult r = ModuleFiles.load(net, resource("/golden/resnet20_weights.safetensors"), true);
    assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty(), r.toString());
    return net;
  }

  private static double[] doubles(StoredTensor t) {
    assertEquals(DType.F64, t.dtype());
    double[] out = new double[t.numel()];
    ByteBuffer.wrap(t.bytes()).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
    return out;
  }

  private static void assertMatchesTorch(String mode, Tensor ours) {
    StoredTensor t32 = io.get("output_" + mode);
    assertArrayEquals(t32.shape(), ours.shape(), mode);
    double[] reference = doubles(io.get("output_" + mode + "_f64"));
    float[] torch32 = t32.toFloats();
    float[] got = ours.contiguousData();
    double scale = 0;
    double torchError = 0;
    double ourError = 0;
    for (int i = 0; i < reference.length; i++) {
      scale = Math.max(scale, Math.abs(reference[i]));
      torchError = Math.max(torchError, Math.abs(torch32[i] - reference[i]));
      ourError = Math.max(ourError, Math.abs(got[i] - reference[i]));
    }
    double tolerance = SLACK * torchError + FLOOR_ULPS * Math.ulp((float) scale);
    assertTrue(
        ourError <= tolerance,
        mode
            + ": max |kronet − torch_f64| = "
            + ourError
            + " exceeds "
            + tolerance
            + " (torch f32 error "
            + torchError
            + ", logit scale "
            + scale
            + ")");
  }

  @Test
  void savedStateDictIsPytorchsFileTensorForTensor(@TempDir Path dir) {
    Path saved = dir.resolve("resnet20.safetensors");
    ModuleFiles.save(loadedResnet20(), saved, Map.of());
    Map<String, StoredTensor> torch =
        SafeTensors.read(resource("/golden/resnet20_weights.safetensors")).tensors();
    Map<String, StoredTensor> ours = SafeTensors.read(saved).tensors();
    // The writer may lay tensors out in its own order; names and contents must agree.
    assertEquals(torch.keySet(), ours.keySet());
    for (Map.Entry<String, StoredTensor> e : torch.entrySet()) {
      assertEquals(e.getValue(), ours.get(e.getKey()), e.getKey());
    }
  }

  @Test
  void evalModeMatchesPytorch() {
    Module net = loadedResnet20();
    net.eval();
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      assertMatchesTorch("eval", net.forward(io.get("input").toTensor()));
    }
  }

  @Test
  void trainModeMatchesPytorch() {
    Module net = loadedResnet20();
    net.train();
    try (Autograd.Scope ignored = Autograd.noGrad()) {
      assertMatchesTorch("train", net.forward(io.get("input").toTensor()));
    }
  }
}
