package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
    assumeTrue(Simd.ENABLED && FilterLanesSimd.AVAILABLE, "no 16-lane float vectors here");
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

  @Test
  void takesMultiplesOfThirtyTwoChannelsAndKernelsLargerThanOneByOne() {
    ConvGeometry c32s2 = new ConvGeometry(32, 14, 14, 3, 3, 2, 2, 1, 1, 1, 1, 7, 7);
    assertTrue(FilterLanesInputGradient.suits(c32s2, 1));
    ConvGeometry c16s2 = new ConvGeometry(16, 28, 28, 3, 3, 2, 2, 1, 1, 1, 1, 14, 14);
    assertFalse(FilterLanesInputGradient.suits(c16s2, 1), "16 channels");
    ConvGeometry shortcut = new ConvGeometry(32, 14, 14, 1, 1, 2, 2, 0, 0, 1, 1, 7, 7);
    assertFalse(FilterLanesInputGradient.suits(shortcut, 1), "1×1 stride 2");
    ConvGeometry c32 = new ConvGeometry(32, 14, 14, 3, 3, 1, 1, 1, 1, 1, 1, 14, 14);
    assertTrue(FilterLanesInputGradient.suits(c32, 1));
    assertFalse(FilterLanesInputGradient.suits(c32, 2), "grouped");
    ConvGeometry c48s2 = new ConvGeometry(48, 14, 14, 3, 3, 2, 2, 1, 1, 1, 1, 7, 7);
    assertFalse(FilterLanesInputGradient.suits(c48s2, 1), "48 channels");
    ConvGeometry pointwise = new ConvGeometry(32, 14, 14, 1, 1, 1, 1, 0, 0, 1, 1, 14, 14);
    assertFalse(FilterLanesInputGradient.suits(pointwise, 1), "1×1 stride 1");
  }

  private void assertMatches(Dims d) {
    ConvGeometry g = d.geometry(d.c());
    assertTrue(FilterLanesInputGradient.suits(g, 1), "case outside the kernel: " + d);
    NaiveConv.assertInputGradient(d, 7L, true, FilterLanesInputGradient::backwardInput);
  }
}
