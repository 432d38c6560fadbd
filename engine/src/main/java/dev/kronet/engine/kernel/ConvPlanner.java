package dev.kronet.engine.kernel;

import java.util.List;
import java.util.function.Predicate;

/**
 * Which kernel runs each pass of a convolution: one ordered list of rules per pass, the first rule
 * that applies (and whose kernel is not disabled) wins. The lists are the whole choice: a reader
 * sees here which kernel a shape gets on which machine, and {@code ConvPlannerTest} pins the plan
 * of every ResNet-20 layer and Kronecker stage at 4, 8 and 16 lanes.
 *
 * <p>The rules say two kinds of thing: what a kernel can compute (its {@code fits} on the geometry)
 * and where it was measured to pay (thresholds, each with its measurement in the kernel's class
 * comment or here). The filter-lanes kernels size their tiles to the machine; the phase-lanes and
 * strided-pointwise input gradients are written for (and measured on) 16 lanes and 32 registers.
 */
public final class ConvPlanner {
  private ConvPlanner() {}

  /** One convolution as the planner sees it, with the machine it will run on. */
  private record Case(ConvGeometry g, int groups, int filters, Capabilities m) {
    /** One filter per channel: {@code groups == C > 1} ({@code g} holds one group's channel). */
    boolean depthwise() {
      return groups > 1 && g.channels() == 1;
    }

    boolean pointwise() {
      return groups == 1 && g.im2colIsIdentity();
    }

    boolean kernelLargerThan1x1() {
      return g.kernelH() * g.kernelW() > 1;
    }

    boolean strided() {
      return g.strideH() * g.strideW() > 1;
    }

    /**
     * {@link FilterLanesSimd}'s tiles, at any lane count: one group, a multiple of two vectors of
     * {@code lanesCount} (filters or channels, whichever fills the lanes: 32 at 16 lanes, 16 at 8,
     * 8 at 4), a column (C·kh·kw) of at least 16, and a kernel larger than 1×1 — or, with 16 lanes,
     * a strided 1×1 (a 1×1 stride-1 convolution is {@link PointwiseConv}'s). Measured at 8 lanes
     * (16 registers, -XX:UseAVX=2 on Zen 5, one thread, batch 128, ms against the kernel taken
     * otherwise): the 3×3 layers gain (32→64 stride 2 forward 3.3–3.4 against 5.0–7.7; 16→16 on
     * 28×28 forward+backward 20.4–20.7 against 25.7–26.2 direct, 16→32 stride 2 12.0–12.3 against
     * 14.0–14.3), the 1-channel stem (column 9) ran its weight gradient slower (fwd+dw 2.7 against
     * 2.2–2.4) and the strided 1×1 shortcuts were slower than by the GEMM (16→32 forward 1.4–1.5
     * against 0.9–1.0). The demo network's Kronecker stages that move (16 filters or channels) were
     * level or up to 7 % faster per layer ({@code KroneckerLayerTimes}). At 4 lanes
     * (-XX:MaxVectorSize=16) 16→16 was level or faster (forward 10.9 against 12.0), and ResNet-20
     * training and the Kronecker layers level within the noise.
     */
    boolean lanesTiles(int lanesCount) {
      return m.simd()
          && groups == 1
          && lanesCount % (2 * m.lanes()) == 0
          && g.colRows() >= 16
          && (kernelLargerThan1x1() || (strided() && m.lanes() == 16));
    }

    /**
     * {@link #lanesTiles} on the machine the phase-lanes and strided-pointwise input gradients were
     * written and measured for: 16 lanes, 32 registers ({@link PhaseTileSimd} holds 16 channels per
     * vector).
     */
    boolean sixteenLaneTiles(int lanesCount) {
      return m.lanes() == 16 && m.vectorRegisters() == 32 && lanesTiles(lanesCount);
    }

    /**
     * {@link DirectConv}: one group and a kernel larger than 1×1, any stride. A 1×1 convolution is
     * a plain matrix product, on the input as it is at stride 1 and on a subsampled copy when
     * strided, and the GEMM is faster there (measured on ResNet-20's 1×1 stride-2 shortcuts, batch
     * 128, 1 thread: 16→32 forward 0.54 ms against 0.75 direct, input gradient 0.59 against 0.84).
     */
    boolean direct() {
      return groups == 1 && kernelLargerThan1x1();
    }

    /**
     * {@link DirectConv}'s weight gradient runs dot products over every flat position, garbage
     * columns and slack included (49 of every 96 on a 7×7 plane); the GEMM lowering wastes none and
     * its micro-kernel is efficient once there are many filters and a long enough column (C·kh·kw)
     * to amortise packing it, so with ≥ 32 filters, a column of ≥ 128 and less than 70 % useful
     * positions the GEMM is taken. Measured (batch 128, 1 thread, ms direct against GEMM): 64→64
     * 3×3 on 7×7 10.0 / 6.1 and 32→64 3×3 stride 2 on 14×14 4.9 / 3.6 (GEMM); 32→32 on 14×14, 72 %
     * useful, 6.9 / 8.2, and a Kronecker A stage 19→64 3×1 on 9×7 (column 57) 0.69 / 0.83 (direct).
     */
    boolean directWeightGradientPays() {
      boolean gemmWins =
          filters >= 32 && g.colRows() >= 128 && g.outPlane() < 0.7 * new FlatLayout(g).phaseStride;
      return direct() && !gemmWins;
    }

    /**
     * {@link StridedPointwiseInputGradient}, where measured faster than the GEMM: 32-channel lane
     * blocks on output planes of at most 64 pixels (see its class comment).
     */
    boolean stridedPointwiseInputPays() {
      return StridedPointwiseInputGradient.fits(g)
          && g.channels() % 64 != 0
          && g.outPlane() <= StridedPointwiseInputGradient.MAX_OUTPUT_PLANE
          && sixteenLaneTiles(g.channels());
    }

    /**
     * {@link PhaseLanesInputGradient}: 3×3 stride-2 layers with 16, 48, … channels (with 32k
     * channels it is level with {@link FilterLanesInputGradient}, which keeps them).
     */
    boolean phaseLanesInput() {
      return PhaseLanesInputGradient.fits(g)
          && g.channels() % 32 != 0
          && sixteenLaneTiles(4 * g.channels());
    }
  }

  private record Rule(ConvKernel kernel, Predicate<Case> applies) {}

  private static final List<Rule> FORWARD =
      List.of(
          new Rule(ConvKernel.DEPTHWISE, Case::depthwise),
          new Rule(ConvKernel.POINTWISE, Case::pointwise),
          new Rule(ConvKernel.FILTER_LANES, c -> c.lanesTiles(c.filters)),
          new Rule(ConvKernel.DIRECT, Case::direct),
          new Rule(ConvKernel.GEMM, c -> true));

  private static final List<Rule> INPUT_GRADIENT =
      List.of(
          new Rule(ConvKernel.DEPTHWISE, Case::depthwise),
          new Rule(ConvKernel.POINTWISE, Case::pointwise),
          new Rule(
              ConvKernel.FILTER_LANES_INPUT,
              c -> c.kernelLargerThan1x1() && c.lanesTiles(c.g.channels())),
          new Rule(ConvKernel.PHASE_LANES_INPUT, Case::phaseLanesInput),
          new Rule(ConvKernel.STRIDED_POINTWISE_INPUT, Case::stridedPointwiseInputPays),
          new Rule(ConvKernel.DIRECT, Case::direct),
          new Rule(ConvKernel.GEMM, c -> true));

  private static final List<Rule> WEIGHT_GRADIENT =
      List.of(
          new Rule(ConvKernel.DEPTHWISE, Case::depthwise),
          new Rule(ConvKernel.POINTWISE, Case::pointwise),
          new Rule(ConvKernel.FILTER_LANES, c -> c.lanesTiles(c.filters)),
          new Rule(ConvKernel.DIRECT, Case::directWeightGradientPays),
          new Rule(ConvKernel.GEMM, c -> true));

  /**
   * The plan for a convolution of {@code filters} filters in {@code groups} groups over {@code g}
   * (the geometry of one group: {@code g.channels()} is the channels per group) on machine {@code
   * m}.
   */
  public static ConvPlan plan(ConvGeometry g, int groups, int filters, Capabilities m) {
    Case c = new Case(g, groups, filters, m);
    return new ConvPlan(first(FORWARD, c), first(INPUT_GRADIENT, c), first(WEIGHT_GRADIENT, c));
  }

  /** The plan on this process's machine ({@link Capabilities#current()}). */
  public static ConvPlan plan(ConvGeometry g, int groups, int filters) {
    return plan(g, groups, filters, Capabilities.current());
  }

  private static ConvKernel first(List<Rule> rules, Case c) {
    for (Rule r : rules) {
      if (r.kernel == ConvKernel.GEMM || (c.m.allows(r.kernel) && r.applies.test(c))) {
        return r.kernel;
      }
    }
    throw new AssertionError("the GEMM rule takes every convolution");
  }
}
