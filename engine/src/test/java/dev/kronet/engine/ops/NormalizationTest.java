package dev.kronet.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kronet.engine.KronetException;
import dev.kronet.engine.Rng;
import dev.kronet.engine.Tensor;
import dev.kronet.engine.kernel.Parallel;
import dev.kronet.engine.testing.GradCheck;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

class NormalizationTest {
  private static final float EPS = 1e-5f;

  /**
   * x of shape [N=2, C=2, H=1, W=2]. Channel 0 holds {1, 2, 3, 6}: mean 3, squared deviations 4 + 1
   * + 0 + 9 = 14, biased variance 14/4 = 3.5, unbiased 14/3. Channel 1 holds {0, 0, 4, −4}: mean 0,
   * squared deviations 32, biased variance 8, unbiased 32/3.
   */
  private static Tensor handInput() {
    return Tensor.of(new float[] {1, 2, 0, 0, 3, 6, 4, -4}, 2, 2, 1, 2);
  }

  private static final double[] HAND_MEAN = {3, 0};
  private static final double[] HAND_BIASED_VAR = {3.5, 8};
  private static final double[] HAND_UNBIASED_VAR = {14.0 / 3, 32.0 / 3};

  @Test
  void trainingNormalisesWithBatchMeanAndBiasedVariance() {
    Tensor x = handInput();
    float[] w = {2f, 0.5f};
    float[] b = {1f, -1f};
    Tensor y =
        Normalization.batchNorm(
            x,
            Tensor.zeros(2),
            Tensor.ones(2),
            Tensor.vector(w),
            Tensor.vector(b),
            true,
            0.1f,
            EPS);
    float[] xv = x.toArray();
    float[] yv = y.toArray();
    for (int i = 0; i < xv.length; i++) {
      int ch = (i / 2) % 2;
      double expected =
          (xv[i] - HAND_MEAN[ch]) / Math.sqrt(HAND_BIASED_VAR[ch] + EPS) * w[ch] + b[ch];
      assertEquals(expected, yv[i], 1e-5, "y[" + i + "]");
    }
  }

  @Test
  void trainingUpdatesRunningStatsWithMomentumAndUnbiasedVariance() {
    Tensor rm = Tensor.vector(0.5f, -1f);
    Tensor rv = Tensor.vector(1f, 2f);
    Normalization.batchNorm(handInput(), rm, rv, null, null, true, 0.1f, EPS);
    // running = 0.9·running + 0.1·batch, with the unbiased variance for running_var.
    assertArrayEquals(
        new float[] {(float) (0.9 * 0.5 + 0.1 * 3), (float) (0.9 * -1 + 0.1 * 0)},
        rm.toArray(),
        1e-6f);
    assertArrayEquals(
        new float[] {
          (float) (0.9 * 1 + 0.1 * HAND_UNBIASED_VAR[0]),
          (float) (0.9 * 2 + 0.1 * HAND_UNBIASED_VAR[1])
        },
        rv.toArray(),
        1e-6f);
  }

  @Test
  void evaluationUsesRunningStatsAndLeavesThemUnchanged() {
    Tensor rm = Tensor.vector(0.5f, -1f);
    Tensor rv = Tensor.vector(4f, 0.25f);
    float[] w = {2f, 0.5f};
    float[] b = {1f, -1f};
    Tensor x = handInput();
    Tensor y =
        Normalization.batchNorm(x, rm, rv, Tensor.vector(w), Tensor.vector(b), false, 0.1f, EPS);
    float[] xv = x.toArray();
    float[] yv = y.toArray();
    double[] mean = {0.5, -1};
    double[] var = {4, 0.25};
    for (int i = 0; i < xv.length; i++) {
      int ch = (i / 2) % 2;
      double expected = (xv[i] - mean[ch]) / Math.sqrt(var[ch] + EPS) * w[ch] + b[ch];
      assertEquals(expected, yv[i], 1e-5, "y[" + i + "]");
    }
    assertArrayEquals(new float[] {0.5f, -1f}, rm.toArray(), 0f);
    assertArrayEquals(new float[] {4f, 0.25f}, rv.toArray(), 0f);
  }

  @Test
  void weightAndBiasGradientsAreChannelSums() {
    // With g = 1 everywhere: dbias = M per channel, dweight = Σ x̂ = 0 (x̂ has zero mean).
    Tensor w = Tensor.vector(2f, 0.5f).requiresGrad(true);
    Tensor b = Tensor.vector(1f, -1f).requiresGrad(true);
    Normalization.batchNorm(handInput(), null, null, w, b, true, 0.1f, EPS)
        .backward(Tensor.ones(2, 2, 1, 2));
    assertArrayEquals(new float[] {4f, 4f}, b.grad().toArray(), 0f);
    assertArrayEquals(new float[] {0f, 0f}, w.grad().toArray(), 1e-6f);
  }

  /**
   * Values with a guaranteed spread inside each channel (a ramp of step 1 plus noise in ±0.25), so
   * that the batch variance is never tiny and finite differences stay in the smooth regime.
   */
  private static Tensor spreadInput(Rng rng, int[] shape) {
    Tensor x = Tensor.zeros(shape);
    float[] d = x.data();
    int n = shape[0];
    int c = shape[1];
    int s = d.length / (n * c);
    for (int b = 0; b < n; b++) {
      for (int ch = 0; ch < c; ch++) {
        for (int i = 0; i < s; i++) {
          int rank = b * s + i;
          d[(b * c + ch) * s + i] = 0.7f * rank - ch + 0.25f * (2 * rng.nextFloat() - 1);
        }
      }
    }
    return x;
  }

  private static boolean moreThanOneValuePerChannel(NnCases c) {
    int[] s = c.shape();
    return (long) dev.kronet.engine.Shapes.numel(s) / s[1] > 1;
  }

  @Test
  void trainingGradientsMatchFiniteDifferences() {
    Property.check(
        "batchNormTrainingGradientMatchesFiniteDifferences",
        25,
        NnCases.of(2, 4, 4).filter(NormalizationTest::moreThanOneValuePerChannel),
        c -> {
          Rng rng = c.rng();
          int ch = c.shape()[1];
          Tensor x = spreadInput(rng, c.shape()).requiresGrad(true);
          Tensor w = Tensor.uniform(rng, 0.5f, 1.5f, ch).requiresGrad(true);
          Tensor b = Tensor.uniform(rng, -1f, 1f, ch).requiresGrad(true);
          GradCheck.create()
              .check(
                  "batchNorm(train)",
                  in -> Normalization.batchNorm(in[0], null, null, in[1], in[2], true, 0.1f, EPS),
                  x,
                  w,
                  b);
        });
  }

  @Test
  void evaluationGradientsMatchFiniteDifferences() {
    Property.check(
        "batchNormEvalGradientMatchesFiniteDifferences",
        25,
        NnCases.of(2, 4, 4),
        c -> {
          Rng rng = c.rng();
          int ch = c.shape()[1];
          Tensor x = Tensor.randn(rng, c.shape()).requiresGrad(true);
          Tensor w = Tensor.uniform(rng, 0.5f, 1.5f, ch).requiresGrad(true);
          Tensor b = Tensor.uniform(rng, -1f, 1f, ch).requiresGrad(true);
          Tensor rm = Tensor.uniform(rng, -1f, 1f, ch);
          Tensor rv = Tensor.uniform(rng, 0.5f, 2f, ch);
          GradCheck.create()
              .check(
                  "batchNorm(eval)",
                  in -> Normalization.batchNorm(in[0], rm, rv, in[1], in[2], false, 0.1f, EPS),
                  x,
                  w,
                  b);
        });
  }

  @Test
  void withoutAffineParametersTheInputGradientStillMatches() {
    Property.check(
        "batchNormNoAffineGradientMatchesFiniteDifferences",
        15,
        NnCases.of(2, 4, 4).filter(NormalizationTest::moreThanOneValuePerChannel),
        c -> {
          Tensor x = spreadInput(c.rng(), c.shape()).requiresGrad(true);
          GradCheck.create()
              .check(
                  "batchNorm(train, no affine)",
                  in -> Normalization.batchNorm(in[0], null, null, null, null, true, 0.1f, EPS),
                  x);
        });
  }

  /**
   * batchNormRelu equals relu(batchNorm), and batchNormAddRelu relu(batchNorm + r), bit for bit —
   * values, the gradients of x, weight, bias and r, and the running statistics — in training and
   * evaluation, with and without affine parameters, on shapes whose rows cover whole vectors and
   * every tail. The compositions are gradient-checked themselves (above, in ActivationsTest and
   * ArithmeticTest), so equality carries those checks over. Inputs are multiples of 1/8 so that
   * some values land exactly on relu's kink.
   */
  @Test
  void fusedReluOpsEqualTheirCompositionsBitForBit() {
    Property.check(
        "batchNormReluOpsEqualCompositions",
        40,
        NnCases.of(2, 4, 7).filter(NormalizationTest::moreThanOneValuePerChannel),
        c -> {
          Rng rng = c.rng();
          int ch = c.shape()[1];
          Fixture f =
              new Fixture(
                  eighths(Tensor.randn(rng, c.shape())),
                  eighths(Tensor.randn(rng, c.shape())),
                  Tensor.randn(rng, c.shape()).toArray(),
                  Tensor.uniform(rng, 0.5f, 1.5f, ch).toArray(),
                  Tensor.uniform(rng, -1f, 1f, ch).toArray(),
                  Tensor.uniform(rng, -1f, 1f, ch).toArray(),
                  Tensor.uniform(rng, 0.5f, 2f, ch).toArray());
          String[] names = {"y", "dx", "dweight", "dbias", "running_mean", "running_var", "dr"};
          for (boolean residual : new boolean[] {false, true}) {
            for (boolean training : new boolean[] {true, false}) {
              for (boolean affine : new boolean[] {true, false}) {
                float[][] fused = f.run(c.shape(), residual, training, affine, true);
                float[][] plain = f.run(c.shape(), residual, training, affine, false);
                String what =
                    c + " residual=" + residual + " training=" + training + " affine=" + affine;
                for (int k = 0; k < names.length; k++) {
                  assertArrayEquals(plain[k], fused[k], 0f, names[k] + ", " + what);
                }
              }
            }
          }
        });
  }

  @Test
  void batchNormAddReluRejectsAResidualOfAnotherShape() {
    KronetException e =
        assertThrows(
            KronetException.class,
            () ->
                Normalization.batchNormAddRelu(
                    Tensor.zeros(2, 3, 4, 4),
                    Tensor.zeros(2, 3, 4, 5),
                    null,
                    null,
                    null,
                    null,
                    true,
                    0.1f,
                    EPS));
    assertTrue(e.getMessage().contains("[2, 3, 4, 4]"), e.getMessage());
    assertTrue(e.getMessage().contains("[2, 3, 4, 5]"), e.getMessage());
  }

  private static float[] eighths(Tensor t) {
    float[] v = t.toArray();
    for (int i = 0; i < v.length; i++) {
      v[i] = Math.round(v[i] * 8) / 8f;
    }
    return v;
  }

  /** Inputs of one fused-versus-composed comparison. */
  private record Fixture(
      float[] x, float[] r, float[] g, float[] w, float[] b, float[] rm, float[] rv) {
    /** y, dx, dweight, dbias, running mean and variance, dr after one pass. */
    float[][] run(int[] shape, boolean residual, boolean training, boolean affine, boolean fused) {
      Tensor xt = Tensor.of(x.clone(), shape).requiresGrad(true);
      Tensor rt = residual ? Tensor.of(r.clone(), shape).requiresGrad(true) : null;
      Tensor wt = affine ? Tensor.vector(w.clone()).requiresGrad(true) : null;
      Tensor bt = affine ? Tensor.vector(b.clone()).requiresGrad(true) : null;
      Tensor rmt = Tensor.vector(rm.clone());
      Tensor rvt = Tensor.vector(rv.clone());
      Tensor y;
      if (fused) {
        y =
            residual
                ? Normalization.batchNormAddRelu(xt, rt, rmt, rvt, wt, bt, training, 0.1f, EPS)
                : Normalization.batchNormRelu(xt, rmt, rvt, wt, bt, training, 0.1f, EPS);
      } else {
        Tensor bn = Normalization.batchNorm(xt, rmt, rvt, wt, bt, training, 0.1f, EPS);
        y = Activations.relu(residual ? Arithmetic.add(bn, rt) : bn);
      }
      y.backward(Tensor.of(g, shape));
      float[] none = new float[0];
      return new float[][] {
        y.toArray(),
        xt.grad().toArray(),
        affine ? wt.grad().toArray() : none,
        affine ? bt.grad().toArray() : none,
        rmt.toArray(),
        rvt.toArray(),
        residual ? rt.grad().toArray() : none
      };
    }
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    Tensor x = Tensor.randn(new Rng(5), 8, 16, 12, 12).requiresGrad(true);
    Tensor g = Tensor.randn(new Rng(6), 8, 16, 12, 12);
    for (int variant = 0; variant < 3; variant++) {
      float[][] results = new float[2][];
      float[][] grads = new float[2][];
      for (int run = 0; run < 2; run++) {
        try (var threads = Parallel.withThreads(run == 0 ? 1 : 4)) {
          x.zeroGrad();
          Tensor y =
              switch (variant) {
                case 0 -> Normalization.batchNorm(x, null, null, null, null, true, 0.1f, EPS);
                case 1 -> Normalization.batchNormRelu(x, null, null, null, null, true, 0.1f, EPS);
                default ->
                    Normalization.batchNormAddRelu(x, g, null, null, null, null, true, 0.1f, EPS);
              };
          y.backward(g);
          results[run] = y.toArray();
          grads[run] = x.grad().toArray();
        }
      }
      assertArrayEquals(results[0], results[1], 0f, "variant " + variant);
      assertArrayEquals(grads[0], grads[1], 0f, "variant " + variant);
    }
  }

  @Test
  void badShapesAndArgumentsAreRejectedWithClearMessages() {
    Tensor x = Tensor.zeros(4, 3, 2, 2);
    KronetException e =
        assertThrows(
            KronetException.class,
            () ->
                Normalization.batchNorm(
                    x, Tensor.zeros(2), Tensor.ones(2), null, null, true, 0.1f, EPS));
    assertTrue(
        e.getMessage().contains("runningMean") && e.getMessage().contains("[3]"), e.getMessage());
    e =
        assertThrows(
            KronetException.class,
            () -> Normalization.batchNorm(x, null, null, Tensor.ones(4), null, true, 0.1f, EPS));
    assertTrue(e.getMessage().contains("weight"), e.getMessage());
    e =
        assertThrows(
            KronetException.class,
            () ->
                Normalization.batchNorm(
                    Tensor.zeros(1, 3), null, null, null, null, true, 0.1f, EPS));
    assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
    e =
        assertThrows(
            KronetException.class,
            () -> Normalization.batchNorm(x, null, null, null, null, false, 0.1f, EPS));
    assertTrue(e.getMessage().contains("evaluation mode"), e.getMessage());
    e =
        assertThrows(
            KronetException.class,
            () ->
                Normalization.batchNorm(Tensor.zeros(3), null, null, null, null, true, 0.1f, EPS));
    assertTrue(e.getMessage().contains("[N, C]"), e.getMessage());
  }

  /**
   * A NaN in one channel makes that channel's statistics NaN; the fused relu must pass them on (it
   * used to turn them into zeros, so a broken model evaluated to a plausible accuracy) and leave
   * the other channels alone.
   */
  @Test
  void aNanInOneChannelPropagatesThroughTheFusedRelu() {
    Tensor x = Tensor.randn(new Rng(8), 2, 3, 5, 5);
    float[] v = x.toArray();
    v[25 + 7] = Float.NaN; // image 0, channel 1
    Tensor withNan = Tensor.of(v, 2, 3, 5, 5);
    for (int variant = 0; variant < 2; variant++) {
      Tensor y =
          variant == 0
              ? Normalization.batchNormRelu(withNan, null, null, null, null, true, 0.1f, EPS)
              : Normalization.batchNormAddRelu(
                  withNan, Tensor.zeros(2, 3, 5, 5), null, null, null, null, true, 0.1f, EPS);
      float[] out = y.toArray();
      for (int i = 0; i < out.length; i++) {
        boolean channel1 = (i / 25) % 3 == 1;
        assertEquals(channel1, Float.isNaN(out[i]), "variant " + variant + " element " + i);
      }
    }
  }
}
