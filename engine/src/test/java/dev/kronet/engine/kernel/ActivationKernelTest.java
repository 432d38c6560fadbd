package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

/**
 * The SIMD activations against their scalar twins, bit for bit, on buffers salted with the values
 * where the branches meet (±0, 6, NaN, ±∞) and lengths around the vector width.
 */
class ActivationKernelTest {
  private static final float[] SALT = {
    0f, -0f, 6f, -6f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 5.9999995f
  };

  @Test
  void simdReluFamilyEqualsScalarTwinsBitForBit() {
    Property.check(
        "simdReluFamilyEqualsScalarTwinsBitForBit",
        60,
        Gens.ints(0, 4 * Simd.floatLanes() + 3),
        n -> {
          Rng rng = new Rng(n * 17L + 1);
          int off = rng.nextInt(3);
          float[] x = new float[off + n];
          float[] g = new float[n];
          for (int i = 0; i < x.length; i++) {
            x[i] =
                rng.nextInt(4) == 0
                    ? SALT[rng.nextInt(SALT.length)]
                    : 8f * (float) rng.nextGaussian();
          }
          for (int i = 0; i < n; i++) {
            g[i] = (float) rng.nextGaussian();
          }
          float[] simd = new float[n];
          float[] scalar = new float[n];
          ActivationKernel.relu(simd, x, off, n, Simd.ENABLED);
          ActivationKernel.relu(scalar, x, off, n, false);
          assertArrayEquals(scalar, simd, "relu");
          ActivationKernel.reluBackward(simd, g, x, off, n, Simd.ENABLED);
          ActivationKernel.reluBackward(scalar, g, x, off, n, false);
          assertArrayEquals(scalar, simd, "relu backward");
          ActivationKernel.relu6(simd, x, off, n, Simd.ENABLED);
          ActivationKernel.relu6(scalar, x, off, n, false);
          assertArrayEquals(scalar, simd, "relu6");
          ActivationKernel.relu6Backward(simd, g, x, off, n, Simd.ENABLED);
          ActivationKernel.relu6Backward(scalar, g, x, off, n, false);
          assertArrayEquals(scalar, simd, "relu6 backward");
        });
  }
}
