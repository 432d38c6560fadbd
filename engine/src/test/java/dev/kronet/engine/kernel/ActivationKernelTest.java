package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /**
   * NaN goes through relu and relu6 and their gradients pass there, as PyTorch 1.13 gives them
   * (relu(NaN) = NaN, relu6(NaN) = NaN, both gradients 1 at NaN).
   */
  @Test
  void nanPropagatesThroughReluAndRelu6AtEveryWidth() {
    for (boolean simd : new boolean[] {false, Simd.ENABLED}) {
      int n = 3 * Simd.floatLanes() + 1; // vector blocks and a scalar tail
      float[] x = new float[n];
      float[] g = new float[n];
      for (int i = 0; i < n; i++) {
        x[i] = i % 3 == 0 ? Float.NaN : (i % 3 == 1 ? -1f : 2f);
        g[i] = 0.5f;
      }
      float[] relu = new float[n];
      float[] relu6 = new float[n];
      float[] grad = new float[n];
      float[] grad6 = new float[n];
      ActivationKernel.relu(relu, x, 0, n, simd);
      ActivationKernel.relu6(relu6, x, 0, n, simd);
      ActivationKernel.reluBackward(grad, g, x, 0, n, simd);
      ActivationKernel.relu6Backward(grad6, g, x, 0, n, simd);
      for (int i = 0; i < n; i++) {
        String at = "simd=" + simd + " x[" + i + "]=" + x[i];
        if (Float.isNaN(x[i])) {
          assertTrue(Float.isNaN(relu[i]) && Float.isNaN(relu6[i]), at);
          assertEquals(0.5f, grad[i], at);
          assertEquals(0.5f, grad6[i], at);
        } else {
          assertEquals(Math.max(x[i], 0f), relu[i], at);
          assertEquals(Math.min(Math.max(x[i], 0f), 6f), relu6[i], at);
          assertEquals(x[i] > 0 ? 0.5f : 0f, grad[i], at);
          assertEquals(x[i] > 0 && x[i] < 6 ? 0.5f : 0f, grad6[i], at);
        }
      }
    }
  }
}
