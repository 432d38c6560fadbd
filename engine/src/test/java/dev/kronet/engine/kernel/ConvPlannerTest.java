package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The kernel choice, pinned: which kernel each pass of each ResNet-20 layer (1×28×28 input) gets on
 * each vector shape, and the rules' edges one by one. A change of plan shows up here as a changed
 * line of the table, to be justified by a measurement.
 */
class ConvPlannerTest {
  private static final Capabilities AVX512 = ConvPlans.AVX512;
  private static final Capabilities AVX2 = Capabilities.simdMachine(8, 16);
  private static final Capabilities NEON = Capabilities.simdMachine(4, 32);
  private static final Capabilities SCALAR = Capabilities.scalarMachine();

  /** A square convolution of {@code c} channels on an {@code h × h} plane, square kernel. */
  private static ConvGeometry conv(int c, int h, int k, int stride, int pad) {
    int out = (h + 2 * pad - k) / stride + 1;
    return new ConvGeometry(c, h, h, k, k, stride, stride, pad, pad, 1, 1, out, out);
  }

  private record Layer(String name, ConvGeometry g, int filters) {}

  private static final List<Layer> RESNET20 =
      List.of(
          new Layer("stem 1→16 3×3 @28", conv(1, 28, 3, 1, 1), 16),
          new Layer("16→16 3×3 @28", conv(16, 28, 3, 1, 1), 16),
          new Layer("16→32 3×3 s2 @28", conv(16, 28, 3, 2, 1), 32),
          new Layer("shortcut 16→32 1×1 s2 @28", conv(16, 28, 1, 2, 0), 32),
          new Layer("32→32 3×3 @14", conv(32, 14, 3, 1, 1), 32),
          new Layer("32→64 3×3 s2 @14", conv(32, 14, 3, 2, 1), 64),
          new Layer("shortcut 32→64 1×1 s2 @14", conv(32, 14, 1, 2, 0), 64),
          new Layer("64→64 3×3 @7", conv(64, 7, 3, 1, 1), 64));

  private static Map<String, String> table(Capabilities m) {
    Map<String, String> plans = new LinkedHashMap<>();
    for (Layer l : RESNET20) {
      plans.put(l.name, ConvPlanner.plan(l.g, 1, l.filters, m).toString());
    }
    return plans;
  }

  private static Map<String, String> expected(String... plans) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < plans.length; i++) {
      m.put(RESNET20.get(i).name, plans[i]);
    }
    return m;
  }

  @Test
  void resnet20At16LanesRunsTheLanesKernelsOnEveryThirtyTwoFilterLayer() {
    assertEquals(
        expected(
            "direct / direct / direct",
            "direct / direct / direct",
            "filter-lanes / phase-lanes-input / filter-lanes",
            "filter-lanes / gemm / filter-lanes",
            "filter-lanes / filter-lanes-input / filter-lanes",
            "filter-lanes / filter-lanes-input / filter-lanes",
            "filter-lanes / strided-pointwise-input / filter-lanes",
            "filter-lanes / filter-lanes-input / filter-lanes"),
        table(AVX512));
  }

  @Test
  void resnet20At8And4LanesRunsTheFilterLanesOnThreeByThreeLayersButTheStem() {
    Map<String, String> want =
        expected(
            "direct / direct / direct",
            "filter-lanes / filter-lanes-input / filter-lanes",
            "filter-lanes / filter-lanes-input / filter-lanes",
            "gemm / gemm / gemm",
            "filter-lanes / filter-lanes-input / filter-lanes",
            "filter-lanes / filter-lanes-input / filter-lanes",
            "gemm / gemm / gemm",
            "filter-lanes / filter-lanes-input / filter-lanes");
    assertEquals(want, table(AVX2));
    assertEquals(want, table(NEON));
  }

  @Test
  void scalarMachineRunsDirectAndGemmOnly() {
    assertEquals(
        expected(
            "direct / direct / direct",
            "direct / direct / direct",
            "direct / direct / direct",
            "gemm / gemm / gemm",
            "direct / direct / direct",
            "direct / direct / gemm",
            "gemm / gemm / gemm",
            "direct / direct / gemm"),
        table(SCALAR));
  }

  @Test
  void phaseAndStridedPointwiseInputGradientsNeedSixteenLanesAndThirtyTwoRegisters() {
    ConvGeometry c16s2 = conv(16, 28, 3, 2, 1);
    assertEquals(
        ConvKernel.PHASE_LANES_INPUT, ConvPlanner.plan(c16s2, 1, 32, AVX512).inputGradient());
    Capabilities sixteenRegisters = new Capabilities(true, 16, 16, 16, true, java.util.Set.of());
    assertEquals(
        ConvKernel.DIRECT, ConvPlanner.plan(c16s2, 1, 32, sixteenRegisters).inputGradient());
    ConvGeometry shortcut = conv(32, 14, 1, 2, 0);
    assertEquals(
        ConvKernel.STRIDED_POINTWISE_INPUT,
        ConvPlanner.plan(shortcut, 1, 64, AVX512).inputGradient());
    assertEquals(ConvKernel.GEMM, ConvPlanner.plan(shortcut, 1, 64, AVX2).inputGradient());
    assertEquals(ConvKernel.GEMM, ConvPlanner.plan(shortcut, 1, 64, AVX2).forward(), "1×1 at 8");
  }

  /**
   * Two vectors of filters are the narrowest filter-lanes tile: 16 filters at 8 lanes, 8 at 4, 32
   * at 16; a column (C·kh·kw) under 16 stays with the direct kernel.
   */
  @Test
  void filterLanesTakesTwoVectorsOfFiltersAtEveryWidth() {
    ConvGeometry g = conv(16, 14, 3, 1, 1);
    assertEquals(ConvKernel.FILTER_LANES, ConvPlanner.plan(g, 1, 16, AVX2).forward());
    assertEquals(ConvKernel.DIRECT, ConvPlanner.plan(g, 1, 24, AVX2).forward(), "24 at 8 lanes");
    assertEquals(ConvKernel.FILTER_LANES, ConvPlanner.plan(g, 1, 8, NEON).forward());
    assertEquals(ConvKernel.DIRECT, ConvPlanner.plan(g, 1, 16, AVX512).forward(), "16 at 16");
    ConvGeometry stem = conv(1, 28, 3, 1, 1);
    assertEquals(ConvKernel.DIRECT, ConvPlanner.plan(stem, 1, 16, AVX2).forward(), "column 9");
    assertEquals(
        ConvKernel.FILTER_LANES,
        ConvPlanner.plan(conv(2, 28, 3, 1, 1), 1, 16, AVX2).forward(),
        "column 18");
  }

  @Test
  void filterLanesTakesWholeBlocksOfThirtyTwoFiltersUngrouped() {
    ConvGeometry g = conv(16, 14, 3, 2, 1);
    assertEquals(ConvKernel.FILTER_LANES, forward(g, 1, 64));
    assertEquals(ConvKernel.FILTER_LANES, forward(g, 1, 96));
    assertEquals(ConvKernel.DIRECT, forward(g, 1, 48), "48 filters");
    assertEquals(ConvKernel.GEMM, forward(conv(8, 14, 3, 2, 1), 2, 64), "grouped");
    assertEquals(ConvKernel.FILTER_LANES, forward(conv(16, 14, 1, 2, 0), 1, 64), "1×1 stride 2");
    assertEquals(ConvKernel.POINTWISE, forward(conv(16, 14, 1, 1, 0), 1, 64), "1×1 stride 1");
  }

  @Test
  void pointwiseTakesUngroupedUnpaddedOneByOneStrideOne() {
    ConvGeometry dilated = new ConvGeometry(8, 5, 5, 1, 1, 1, 1, 0, 0, 3, 3, 5, 5);
    assertEquals(ConvKernel.POINTWISE, forward(conv(8, 5, 1, 1, 0), 1, 4));
    assertEquals(ConvKernel.POINTWISE, forward(dilated, 1, 4), "dilation does not matter for 1×1");
    assertEquals(ConvKernel.GEMM, forward(conv(8, 5, 1, 2, 0), 1, 4), "stride");
    assertEquals(ConvKernel.GEMM, forward(conv(8, 5, 1, 1, 1), 1, 4), "padded");
    assertEquals(ConvKernel.GEMM, forward(conv(4, 5, 1, 1, 0), 2, 4), "groups");
  }

  @Test
  void directTakesUngroupedKernelsLargerThanOneByOne() {
    assertEquals(ConvKernel.DIRECT, forward(conv(3, 9, 3, 1, 1), 1, 5));
    ConvGeometry oneByThree = new ConvGeometry(3, 9, 9, 1, 3, 1, 1, 0, 1, 1, 1, 9, 9);
    assertEquals(ConvKernel.DIRECT, forward(oneByThree, 1, 5));
    assertEquals(ConvKernel.DIRECT, forward(conv(3, 9, 3, 2, 1), 1, 5), "stride 2");
    assertEquals(ConvKernel.GEMM, forward(conv(3, 9, 1, 2, 0), 1, 5), "1×1 stride 2");
    assertEquals(ConvKernel.GEMM, forward(conv(3, 9, 3, 1, 1), 3, 6), "grouped");
  }

  @Test
  void directWeightGradientGivesWayToTheGemmOnSmallPlanesWithManyFilters() {
    // (on a machine without the lanes kernels, where the direct kernel competes with the GEMM)
    ConvGeometry small = conv(64, 7, 3, 1, 1);
    assertEquals(ConvKernel.GEMM, weight(small, 64, SCALAR), "many filters, 7×7 plane");
    assertEquals(ConvKernel.DIRECT, weight(small, 16, SCALAR), "few filters");
    assertEquals(ConvKernel.DIRECT, weight(conv(64, 28, 3, 1, 1), 64, SCALAR), "28×28 plane");
    ConvGeometry shortColumn = new ConvGeometry(19, 9, 7, 3, 1, 1, 1, 0, 0, 1, 1, 7, 7);
    assertEquals(ConvKernel.DIRECT, weight(shortColumn, 64, SCALAR), "column of 57");
  }

  @Test
  void inputGradientLanesKernelsByChannelCount() {
    assertEquals(ConvKernel.FILTER_LANES_INPUT, input(conv(32, 14, 3, 2, 1), 1), "32 channels");
    assertEquals(ConvKernel.FILTER_LANES_INPUT, input(conv(32, 14, 3, 1, 1), 1));
    assertEquals(ConvKernel.GEMM, input(conv(32, 14, 3, 1, 1), 2), "grouped");
    assertEquals(ConvKernel.PHASE_LANES_INPUT, input(conv(16, 28, 3, 2, 1), 1), "16 channels");
    assertEquals(ConvKernel.PHASE_LANES_INPUT, input(conv(48, 14, 3, 2, 1), 1), "48 channels");
    assertEquals(ConvKernel.DIRECT, input(conv(8, 28, 3, 2, 1), 1), "8 channels");
    assertEquals(ConvKernel.DIRECT, input(conv(16, 28, 3, 1, 1), 1), "16 channels, stride 1");
    assertEquals(ConvKernel.POINTWISE, input(conv(32, 14, 1, 1, 0), 1), "1×1 stride 1");
  }

  @Test
  void stridedPointwiseInputOnlyWhereMeasuredFaster() {
    assertEquals(ConvKernel.STRIDED_POINTWISE_INPUT, input(conv(32, 14, 1, 2, 0), 1));
    assertEquals(ConvKernel.GEMM, input(conv(32, 28, 1, 2, 0), 1), "14×14 output plane");
    assertEquals(ConvKernel.GEMM, input(conv(64, 14, 1, 2, 0), 1), "64-channel blocks");
    assertEquals(ConvKernel.GEMM, input(conv(16, 14, 1, 2, 0), 1), "16 channels");
    assertEquals(ConvKernel.GEMM, input(conv(16, 14, 1, 2, 0), 2), "grouped");
  }

  @Test
  void depthwiseTakesOneFilterPerChannelInEveryPass() {
    ConvGeometry oneChannel = conv(1, 14, 3, 1, 1);
    ConvPlan plan = ConvPlanner.plan(oneChannel, 32, 32, AVX512);
    assertEquals(
        new ConvPlan(ConvKernel.DEPTHWISE, ConvKernel.DEPTHWISE, ConvKernel.DEPTHWISE), plan);
    assertEquals(ConvKernel.DEPTHWISE, forward(oneChannel, 32, 64), "channel multiplier 2");
    assertEquals(ConvKernel.DIRECT, forward(oneChannel, 1, 16), "one group: a 1-channel input");
  }

  @Test
  void disabledKernelsFallToTheNextRule() {
    ConvGeometry g = conv(32, 14, 3, 1, 1);
    Capabilities noLanes = AVX512.without(ConvKernel.FILTER_LANES);
    ConvPlan plan = ConvPlanner.plan(g, 1, 32, noLanes);
    assertEquals(ConvKernel.DIRECT, plan.forward());
    assertEquals(ConvKernel.FILTER_LANES_INPUT, plan.inputGradient(), "only the named kernel");
    Capabilities gemmOnly = noLanes.without(ConvKernel.DIRECT);
    assertEquals(ConvKernel.GEMM, ConvPlanner.plan(g, 1, 32, gemmOnly).forward());
    Capabilities noDepthwise = AVX512.without(ConvKernel.DEPTHWISE);
    assertEquals(ConvKernel.GEMM, forward(conv(1, 14, 3, 1, 1), 32, 32, noDepthwise));
  }

  @Test
  void fusedBackwardOnlyWhenBothGradientsAreDirect() {
    assertTrue(ConvPlanner.plan(conv(16, 28, 3, 1, 1), 1, 16, AVX512).fusedBackward());
    assertFalse(ConvPlanner.plan(conv(64, 7, 3, 1, 1), 1, 64, SCALAR).fusedBackward());
    assertFalse(ConvPlanner.plan(conv(32, 14, 3, 1, 1), 1, 32, AVX512).fusedBackward());
  }

  @Test
  void kernelIdsRoundTripAndUnknownOnesAreNamed() {
    List<String> ids = new ArrayList<>();
    for (ConvKernel k : ConvKernel.values()) {
      assertEquals(k, ConvKernel.byId(k.id(), "test"));
      ids.add(k.id());
    }
    KronetException e =
        assertThrows(KronetException.class, () -> ConvKernel.byId("filterlanes", "-Dx"));
    assertTrue(e.getMessage().contains("-Dx") && e.getMessage().contains("'filterlanes'"));
    assertTrue(e.getMessage().contains(String.join(", ", ids)), e.getMessage());
  }

  private static ConvKernel forward(ConvGeometry g, int groups, int filters) {
    return forward(g, groups, filters, AVX512);
  }

  private static ConvKernel forward(ConvGeometry g, int groups, int filters, Capabilities m) {
    return ConvPlanner.plan(g, groups, filters, m).forward();
  }

  private static ConvKernel input(ConvGeometry g, int groups) {
    return ConvPlanner.plan(g, groups, 64, AVX512).inputGradient();
  }

  private static ConvKernel weight(ConvGeometry g, int filters, Capabilities m) {
    return ConvPlanner.plan(g, 1, filters, m).weightGradient();
  }
}
