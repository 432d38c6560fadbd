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
 * <p>The tolerance is {@link TorchAgreement}'s: a multiple of PyTorch's own float32 error.
 */
class TorchResNet20ForwardTest {
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
    StoredTensor torch32 = io.get("output_" + mode);
    assertArrayEquals(torch32.shape(), ours.shape(), mode);
    TorchAgreement.assertAgrees(
        "resnet20 " + mode,
        ours.contiguousData(),
        torch32.toFloats(),
        doubles(io.get("output_" + mode + "_f64")));
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
