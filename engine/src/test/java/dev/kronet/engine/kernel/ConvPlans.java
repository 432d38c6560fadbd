package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Checks that a kernel test's case is one the planner gives that kernel on a 16-lane, 32-register
 * machine (the lanes kernels' own), so a generator drifting outside a kernel's domain fails loudly
 * instead of testing a case that never runs.
 */
final class ConvPlans {
  static final Capabilities AVX512 = Capabilities.simdMachine(16, 32);

  private ConvPlans() {}

  static void assertForward(ConvKernel want, ConvGeometry g, int filters) {
    assertPlanned(want, ConvPlanner.plan(g, 1, filters, AVX512).forward(), "forward of " + g, g);
  }

  static void assertInputGradient(ConvKernel want, ConvGeometry g, int filters) {
    ConvKernel got = ConvPlanner.plan(g, 1, filters, AVX512).inputGradient();
    assertPlanned(want, got, "input gradient of " + g, g);
  }

  static void assertWeightGradient(ConvKernel want, ConvGeometry g, int filters) {
    ConvKernel got = ConvPlanner.plan(g, 1, filters, AVX512).weightGradient();
    assertPlanned(want, got, "weight gradient of " + g, g);
  }

  /**
   * {@code want}, except for the lanes kernels on a column (C·kh·kw) under 16, which the planner
   * leaves to others (measured slower there; see ConvPlanner): the kernel tests still run those
   * cases, as any column is in the kernels' domain.
   */
  private static void assertPlanned(ConvKernel want, ConvKernel got, String what, ConvGeometry g) {
    boolean lanes = want == ConvKernel.FILTER_LANES || want == ConvKernel.FILTER_LANES_INPUT;
    if (lanes && g.colRows() < 16) {
      assertNotEquals(want, got, what + ": a column under 16");
    } else {
      assertEquals(want, got, what);
    }
  }
}
