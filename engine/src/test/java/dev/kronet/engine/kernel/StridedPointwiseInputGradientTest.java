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
 * The input gradient of strided 1×1 convolutions with the channels in the vector lanes against the
 * naive 7-loop convolution, over strides, bottom and right paddings (output pixels whose gradient
 * goes nowhere), planes odd and even and channel blocks, and which convolutions it takes.
 */
class StridedPointwiseInputGradientTest {
  @BeforeAll
  static void needsSixteenLanes() {
    assumeTrue(Simd.floatLanes() == 16, "written for 16-lane vectors (run at -Dkronet.lanes=16)");
  }

  /**
   * Random cases ({@code Rng.nextInt(lo, hi)} is inclusive): 1–3 images, 32, 64 or 96 channels,
   * 1–80 filters, strides 1–3 per axis with at least one above 1, padding 0–2 at the bottom and
   * right, planes 1 to 2 + 30·size/100 a side. Edge cases first: ResNet-20's two shortcuts (with
   * fewer filters), odd planes, a stride along one axis, padding past the last pixel, a 1×1 plane.
   */
  private static Gen<Dims> cases() {
    Gen<Dims> g =
        (rng, size) -> {
          int sh = rng.nextInt(1, 3);
          int sw = rng.nextInt(sh == 1 ? 2 : 1, 3);
          int grow = 1 + 30 * size / 100;
          return new Dims(
              rng.nextInt(1, 3),
              32 * rng.nextInt(1, 3),
              rng.nextInt(1, 1 + grow),
              rng.nextInt(1, 1 + grow),
              rng.nextInt(1, 80),
              1,
              1,
              sh,
              sw,
              0,
              rng.nextInt(0, 2),
              0,
              rng.nextInt(0, 2),
              1,
              1,
              1);
        };
    return g.withEdgeCases(
        List.of(
            new Dims(2, 32, 14, 14, 16, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1),
            new Dims(2, 64, 28, 28, 8, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1),
            new Dims(1, 32, 13, 11, 5, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1),
            new Dims(1, 32, 6, 9, 3, 1, 1, 1, 2, 0, 0, 0, 0, 1, 1, 1),
            new Dims(1, 96, 7, 5, 4, 1, 1, 3, 2, 0, 2, 0, 2, 1, 1, 1),
            new Dims(1, 32, 1, 1, 2, 1, 1, 2, 2, 0, 1, 0, 1, 1, 1, 1)));
  }

  @Test
  void matchesNaiveConvolution() {
    Property.check("stridedPointwiseInputGradientMatchesNaive", 80, cases(), this::assertMatches);
  }

  private void assertMatches(Dims d) {
    ConvGeometry g = d.geometry(d.c());
    assertTrue(StridedPointwiseInputGradient.fits(g), "case outside the kernel: " + d);
    NaiveConv.assertInputGradient(d, 13L, false, StridedPointwiseInputGradient::backwardInput);
  }
}
