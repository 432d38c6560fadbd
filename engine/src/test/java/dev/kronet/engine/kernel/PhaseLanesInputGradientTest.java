package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kronet.engine.kernel.NaiveConv.Dims;
import dev.kronet.engine.testing.Gen;
import dev.kronet.engine.testing.Property;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The input gradient of 3×3 stride-2 convolutions with (stride phase, channel) in the vector lanes
 * against the naive 7-loop convolution, over plane sizes odd and even, bottom and right paddings,
 * channel blocks and filters, and which convolutions it takes. At most 16 filters keep each sum
 * within 144 terms, inside {@link NaiveConv#assertClose}'s bound.
 */
class PhaseLanesInputGradientTest {
  @BeforeAll
  static void needsSixteenLanes() {
    assumeTrue(Simd.floatLanes() == 16, "written for 16-lane vectors (run at -Dkronet.lanes=16)");
  }

  /**
   * Random cases ({@code Rng.nextInt(lo, hi)} is inclusive): 1–3 images, 16–80 channels in steps of
   * 16, 1–16 filters, planes from the smallest the kernel allows up to 2 + 30·size/100 a side,
   * padding 1 on top and left and 0–2 at the bottom and right. Edge cases first: ResNet-20's 16 →
   * 32 layer (with 16 filters), odd planes, a 1×1 input, three channel blocks, one filter.
   */
  private static Gen<Dims> cases() {
    Gen<Dims> g =
        (rng, size) -> {
          int pb = rng.nextInt(0, 2);
          int pr = rng.nextInt(0, 2);
          int grow = 1 + 30 * size / 100;
          int h = Math.max(1, 2 - pb) + rng.nextInt(0, grow);
          int w = Math.max(1, 2 - pr) + rng.nextInt(0, grow);
          return new Dims(
              rng.nextInt(1, 3),
              16 * rng.nextInt(1, 5),
              h,
              w,
              rng.nextInt(1, 16),
              3,
              3,
              2,
              2,
              1,
              pb,
              1,
              pr,
              1,
              1,
              1);
        };
    return g.withEdgeCases(
        List.of(
            new Dims(2, 16, 28, 28, 16, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
            new Dims(1, 16, 13, 11, 5, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
            new Dims(1, 16, 1, 1, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
            new Dims(1, 48, 7, 8, 4, 3, 3, 2, 2, 1, 0, 1, 2, 1, 1, 1),
            new Dims(3, 32, 6, 5, 1, 3, 3, 2, 2, 1, 2, 1, 0, 1, 1, 1)));
  }

  @Test
  void matchesNaiveConvolution() {
    Property.check("phaseLanesInputGradientMatchesNaive", 80, cases(), this::assertMatches);
  }

  private void assertMatches(Dims d) {
    ConvGeometry g = d.geometry(d.c());
    assertTrue(PhaseLanesInputGradient.fits(g), "case outside the kernel: " + d);
    NaiveConv.assertInputGradient(d, 11L, true, PhaseLanesInputGradient::backwardInput);
  }
}
