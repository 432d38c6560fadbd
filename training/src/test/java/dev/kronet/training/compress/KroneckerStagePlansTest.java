package dev.kronet.training.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kronet.engine.Autograd;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Capabilities;
import dev.kronet.engine.kernel.ConvPlanner;
import dev.kronet.engine.nn.Module;
import dev.kronet.engine.ops.ConvTrace;
import dev.kronet.training.models.ConvFactory;
import dev.kronet.training.models.ModelZoo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The kernel plan of every convolution a KroneckerResNet-20 runs (dense stem and shortcuts, and
 * each stage of Algorithm 1 in the Kronecker layers, with the shapes its kernels see), at 16, 8 and
 * 4 lanes. The network is compressed as {@code kronet demo} does (GKPD 5×, uniform, MACs at most
 * the dense layers') from a seeded random ResNet-20 on 1×28×28. The search weighs reconstruction
 * errors, so a trained network may get other factor shapes: {@code kronet env --kernels
 * --checkpoint FILE} prints the plans of a real one.
 */
class KroneckerStagePlansTest {
  private static final Capabilities AVX512 = Capabilities.simdMachine(16, 32);
  private static final Capabilities AVX2 = Capabilities.simdMachine(8, 16);
  private static final Capabilities NEON = Capabilities.simdMachine(4, 32);

  /** The demo network's convolutions, traced once: compressing it is most of this test's time. */
  private static List<ConvTrace.Call> calls;

  private static synchronized List<ConvTrace.Call> demoCalls() {
    if (calls != null) {
      return calls;
    }
    Module dense = ModelZoo.create("resnet20", 1, 10, ConvFactory.DENSE, new Rng(1));
    CompressionRequest layers = CompressionRequest.gkpd(5);
    long denseMacs =
        ModelCompressor.denseMacs(
            ModelCompressor.eligibleSites("resnet20", dense, 1, 10, 28, 28, layers));
    CompressionRequest request = layers.withMaxMacs(denseMacs);
    Module net =
        ModelCompressor.compress("resnet20", dense, 1, 10, 28, 28, request, new Rng(2)).model();
    net.eval();
    try (var s = Autograd.noGrad();
        ConvTrace t = ConvTrace.start()) {
      net.forward(Tensor.zeros(1, 1, 28, 28));
      calls = t.calls();
    }
    return calls;
  }

  /** Each distinct convolution shape of the demo network and its plan on {@code machine}. */
  private static Map<String, String> plans(Capabilities machine) {
    Map<String, String> plans = new TreeMap<>();
    for (ConvTrace.Call c : demoCalls()) {
      plans.put(
          c.shape(), ConvPlanner.plan(c.geometry(), c.groups(), c.filters(), machine).toString());
    }
    return plans;
  }

  /** What runs at 16 lanes and 32 registers (AVX-512). */
  private static final Map<String, String> SIXTEEN_LANES =
      table(
          "12→16 3×1 s2 @30×28", "direct / direct / direct",
          "16→13 3×3 p1 @14×14", "direct / direct / direct",
          "16→32 1×1 s2 @28×28", "filter-lanes / gemm / filter-lanes",
          "16→4 3×1 @30×28", "direct / direct / direct",
          "16→76 1×3 p1 @7×7", "direct / direct / direct",
          "16→8 1×1 @56×28", "pointwise / pointwise / pointwise",
          "18→4 3×3 p1 @14×14", "direct / direct / direct",
          "19→64 1×3 @7×9", "filter-lanes / direct / filter-lanes",
          "19→64 3×1 @9×7", "filter-lanes / direct / filter-lanes",
          "1→16 3×3 p1 @28×28", "direct / direct / direct",
          "26→64 1×1 s2 @14×14", "filter-lanes / gemm / filter-lanes",
          "32→38 3×1 p1 @7×7", "direct / filter-lanes-input / direct",
          "32→64 1×1 s2 @14×14", "filter-lanes / strided-pointwise-input / filter-lanes",
          "36→32 1×1 @14×14", "pointwise / pointwise / pointwise",
          "38→32 1×3 @7×9", "filter-lanes / direct / filter-lanes",
          "4→16 1×3 p1 @28×28", "direct / direct / direct",
          "4→4 3×3 p1 @28×28", "direct / direct / direct",
          "4→8 3×3 p1 @28×28", "direct / direct / direct",
          "64→19 1×3 p1 @7×7", "direct / filter-lanes-input / direct",
          "64→19 3×1 p1 @7×7", "direct / filter-lanes-input / direct",
          "76→16 3×1 @9×7", "direct / direct / direct",
          "8→12 1×3 p1 @28×28", "direct / direct / direct",
          "8→16 1×1 @28×28", "pointwise / pointwise / pointwise",
          "8→4 3×3 p1 @28×28", "direct / direct / direct",
          "8→9 3×3 p1 @14×14", "direct / direct / direct");

  @Test
  void everyStageAt16Lanes() {
    assertEquals(SIXTEEN_LANES, plans(AVX512));
  }

  /**
   * At 8 lanes (AVX2's 16 registers) and 4 (NEON's 32) the strided 1×1 convolutions (the dense
   * shortcuts and a Kronecker stage) go to the GEMM, and the filter-lanes tiles take the stages
   * whose filters (or, for the input gradient, channels) fill two vectors: 16 at 8 lanes, 8 at 4
   * (see {@code ConvPlanner}).
   */
  @Test
  void everyStageAt8Lanes() {
    assertEquals(sixteenFilterStages(narrow()), plans(AVX2));
  }

  @Test
  void everyStageAt4Lanes() {
    Map<String, String> four = sixteenFilterStages(narrow());
    four.put("4→8 3×3 p1 @28×28", "filter-lanes / direct / filter-lanes");
    four.put("8→12 1×3 p1 @28×28", "direct / filter-lanes-input / direct");
    four.put("8→4 3×3 p1 @28×28", "direct / filter-lanes-input / direct");
    four.put("8→9 3×3 p1 @14×14", "direct / filter-lanes-input / direct");
    assertEquals(four, plans(NEON));
  }

  /** {@code plans} with the stages of 16 filters (or 16 channels) on the filter-lanes kernels. */
  private static Map<String, String> sixteenFilterStages(Map<String, String> plans) {
    plans.put("12→16 3×1 s2 @30×28", "filter-lanes / direct / filter-lanes");
    plans.put("16→13 3×3 p1 @14×14", "direct / filter-lanes-input / direct");
    plans.put("16→4 3×1 @30×28", "direct / filter-lanes-input / direct");
    plans.put("16→76 1×3 p1 @7×7", "direct / filter-lanes-input / direct");
    plans.put("76→16 3×1 @9×7", "filter-lanes / direct / filter-lanes");
    return plans;
  }

  /** The 16-lane table with the strided 1×1 convolutions on the GEMM. */
  private static Map<String, String> narrow() {
    Map<String, String> narrow = new TreeMap<>(SIXTEEN_LANES);
    for (String strided1x1 :
        new String[] {"16→32 1×1 s2 @28×28", "26→64 1×1 s2 @14×14", "32→64 1×1 s2 @14×14"}) {
      narrow.put(strided1x1, "gemm / gemm / gemm");
    }
    return narrow;
  }

  private static Map<String, String> table(String... keyValues) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}
