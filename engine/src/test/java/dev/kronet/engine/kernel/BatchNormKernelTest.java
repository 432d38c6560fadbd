package dev.kronet.engine.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kronet.engine.Rng;
import dev.kronet.engine.testing.Gens;
import dev.kronet.engine.testing.Property;
import org.junit.jupiter.api.Test;

class BatchNormKernelTest {
  /**
   * Channel statistics against a naive double reference, on data with a large common offset (1000 +
   * noise): a float accumulator, or the one-pass E[x²] − E[x]² formula, would lose most digits of
   * the variance here.
   */
  @Test
  void channelStatsMatchANaiveDoubleReferenceOnOffsetData() {
    Property.check(
        "channelStatsEqualTwoPassDoubleReference",
        30,
        Gens.shapes(3, 3, 9),
        dims -> {
          int n = dims[0];
          int c = dims[1];
          int s = dims[2];
          Rng rng = new Rng(31L * n + 7L * c + s);
          int off = 3;
          float[] x = new float[off + n * c * s];
          for (int i = off; i < x.length; i++) {
            x[i] = 1000f + (float) rng.nextGaussian();
          }
          double[] mean = new double[c];
          double[] var = new double[c];
          BatchNormKernel.channelStats(mean, var, x, off, n, c, s);
          for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
              for (int i = 0; i < s; i++) {
                sum += x[off + (b * c + ch) * s + i];
              }
            }
            double m = sum / (n * s);
            double sq = 0;
            for (int b = 0; b < n; b++) {
              for (int i = 0; i < s; i++) {
                double d = x[off + (b * c + ch) * s + i] - m;
                sq += d * d;
              }
            }
            assertEquals(m, mean[ch], 1e-9, "mean of channel " + ch);
            assertEquals(sq / (n * s), var[ch], 1e-9, "variance of channel " + ch);
          }
        });
  }

  /**
   * The SIMD row reductions against their scalar twins: rows of 0 to 70 floats (whole vectors and
   * every tail) at any offset, on offset data; the two differ only in the order of double
   * additions.
   */
  @Test
  void simdReductionsMatchTheirScalarTwins() {
    if (!Simd.ENABLED) {
      return; // nothing to compare: every reduction runs the scalar twin
    }
    Property.check(
        "batchNormSimdReductionsEqualScalarTwins",
        60,
        Gens.shapes(2, 2, 71),
        dims -> {
          int s = dims[0] - 1;
          int off = dims[1] % 17;
          Rng rng = new Rng(97L * s + off);
          float[] x = new float[off + s];
          float[] g = new float[off + s];
          for (int i = 0; i < x.length; i++) {
            x[i] = 50f + 3f * (float) rng.nextGaussian();
            g[i] = (float) rng.nextGaussian();
          }
          double tol = 1e-12;
          double sum = BatchNormKernel.sumScalar(x, off, s);
          assertEquals(sum, BatchNormSimd.sum(x, off, s), tol * (1 + Math.abs(sum)), "sum");
          double m = s == 0 ? 0 : sum / s;
          double sq = BatchNormKernel.squaredDeviationsScalar(x, off, s, m);
          assertEquals(
              sq, BatchNormSimd.squaredDeviations(x, off, s, m), tol * (1 + sq), "deviations");
          float mf = (float) m;
          for (boolean relu : new boolean[] {false, true}) {
            BatchNormKernel.Row row = new BatchNormKernel.Row(mf, 0.3f, 0.6f, -30f, relu);
            double[] scalar = new double[2];
            double[] vector = new double[2];
            BatchNormKernel.gradientSumsScalar(scalar, g, off, x, off, s, row);
            BatchNormSimd.gradientSums(vector, g, off, x, off, s, row);
            assertEquals(scalar[0], vector[0], tol * (1 + Math.abs(scalar[0])), "sum g " + relu);
            assertEquals(scalar[1], vector[1], tol * (1 + Math.abs(scalar[1])), "dot " + relu);
          }
        });
  }

  /**
   * The SIMD row loops that write floats (normalise, input gradient) equal their scalar twins bit
   * for bit, with and without relu and batch statistics, rows of 0 to 70 floats at any offset.
   */
  @Test
  void simdRowLoopsEqualTheirScalarTwinsBitForBit() {
    if (!Simd.ENABLED) {
      return;
    }
    Property.check(
        "batchNormSimdRowsEqualScalarTwins",
        60,
        Gens.shapes(2, 2, 71),
        dims -> {
          int s = dims[0] - 1;
          int off = dims[1] % 17;
          Rng rng = new Rng(131L * s + off);
          float[] x = new float[off + s];
          float[] g = new float[off + s];
          for (int i = 0; i < x.length; i++) {
            x[i] = 2f + (float) rng.nextGaussian();
            g[i] = (float) rng.nextGaussian();
          }
          for (boolean relu : new boolean[] {false, true}) {
            float[] scalar = new float[off + s];
            float[] vector = new float[off + s];
            for (float[] r : new float[][] {null, g}) {
              BatchNormKernel.normalizeRowScalar(scalar, off, x, off, r, off, s, 0.7f, -1.4f, relu);
              BatchNormSimd.normalizeRow(vector, off, x, off, r, off, s, 0.7f, -1.4f, relu);
              assertArrayEquals(
                  scalar, vector, 0f, "normalize relu=" + relu + " residual=" + (r != null));
            }
            BatchNormKernel.Row row = new BatchNormKernel.Row(2f, 0.9f, 0.7f, -1.4f, relu);
            for (boolean stats : new boolean[] {false, true}) {
              BatchNormKernel.inputGradientRowScalar(
                  scalar, g, off, x, off, s, row, 1.3f, 0.01f, -0.2f, stats);
              BatchNormSimd.inputGradientRow(
                  vector, g, off, x, off, s, row, 1.3f, 0.01f, -0.2f, stats);
              assertArrayEquals(scalar, vector, 0f, "gradient relu=" + relu + " stats=" + stats);
            }
          }
        });
  }
}
