package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kronet.engine.kernel.NaiveConv.Dims;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The input gradient with the input channels in the vector lanes against the naive 7-loop
 * convolution, over stride phases, dilations and paddings, and which convolutions it takes. At most
 * 16 filters and 3×3 kernels keep each sum within 144 terms, inside {@link NaiveConv#assertClose}'s
 * bound.
 */
class FilterLanesInputGradientTest {
  @BeforeAll
  static void needsSixteenLanes() {
    assumeTrue(Simd.ENABLED, "jdk.incubator.vector is not available");
  }

  /**
   * Random cases ({@code Rng.nextInt(lo, hi)} is inclusive): strides 1–3 per axis, 16, 32, 48 or 64
   * channels when strided (the one-, two- and four-vector tiles, and three blocks of one), 32 or 64
   * at stride 1, 1–16 filters, kernels up to 3×3 (1×1 only when strided), dilation up to 2, padding
   * up to 3 on each side. Edge cases first: ResNet-20's stride-2 layers and 1×1 shortcuts (phases
   * no tap reaches), its 32- and 64-channel stride-1 layers, padding past the kernel's reach, a
   * stride past the kernel (pixels no output reads), unequal strides.
   */
  private static Gen<Dims> cases() {
    ConvCases.Ranges r = new ConvCases.Ranges(3, 3, false, 2, false, 14);
    Gen<Dims> g =
        (rng, size) ->
            ConvCases.ungrouped(
                rng, size, r, rng.nextInt(1, 3), 32 * rng.nextInt(1, 3), rng.nextInt(1, 16));
    return g.withEdgeCases(
        List.of(
            new Dims(2, 32, 14, 14, 16, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
            new Dims(2, 32, 14, 14, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            new Dims(2, 64, 7, 7, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
            new Dims(1, 32, 5, 6, 4, 3, 2, 1, 1, 3, 2, 3, 1, 1, 1, 1),
            new Dims(2, 96, 11, 10, 5, 2, 2, 3, 3, 0, 0, 0, 0, 1, 1, 1),
            new Dims(1, 32, 9, 12, 7, 3, 2, 1, 3, 1, 0, 2, 1, 1, 1, 1)));
  }

  @Test
  void matchesNaiveConvolution() {
    Property.check("filterLanesInputGradientMatchesNaive", 60, cases(), this::assertMatches);
  }

  private void assertMatches(Dims d) {
    ConvGeometry g = d.geometry(d.c());
    ConvPlans.assertInputGradient(ConvKernel.FILTER_LANES_INPUT, g, d.f());
    NaiveConv.assertInputGradient(d, 7L, true, FilterLanesInputGradient::backwardInput);
  }
}
