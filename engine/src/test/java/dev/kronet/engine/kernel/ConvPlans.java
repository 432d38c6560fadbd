package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Checks that a kernel test's case is one the planner gives that kernel on a 16-lane, 32-register
 * machine (the lanes kernels' own), so a generator drifting outside a kernel's domain fails loudly
 * instead of testing a case that never runs.
 */
final class ConvPlans {
  static final Capabilities AVX512 = Capabilities.simdMachine(16, 32);

  private ConvPlans() {}

  static void assertForward(ConvKernel want, ConvGeometry g, int filters) {
    assertEquals(want, ConvPlanner.plan(g, 1, filters, AVX512).forward(), "forward of " + g);
  }

  static void assertInputGradient(ConvKernel want, ConvGeometry g, int filters) {
    assertEquals(
        want, ConvPlanner.plan(g, 1, filters, AVX512).inputGradient(), "input gradient of " + g);
  }

  static void assertWeightGradient(ConvKernel want, ConvGeometry g, int filters) {
    assertEquals(
        want, ConvPlanner.plan(g, 1, filters, AVX512).weightGradient(), "weight gradient of " + g);
  }
}
