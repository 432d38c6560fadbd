package dev.kronet.engine.kernel;

/**
 * Row-wise (log-)softmax over a {@code [rows, k]} row-major buffer, numerically stable: each row is
 * shifted by its maximum before exponentiating, and the sum of exponentials is accumulated in
 * double. Rows are spread over {@link Parallel}; each row is computed in a fixed order, so the
 * result does not depend on the thread count.
 */
public final class SoftmaxKernel {
  private static final int MIN_CHUNK_ELEMENTS = 1 << 14;

  private SoftmaxKernel() {}

  private static int minRows(int k) {
    return Math.max(1, MIN_CHUNK_ELEMENTS / Math.max(1, k));
  }

  /** {@code out[r, j] = x[r, j] − max_r − log Σ_j exp(x[r, j] − max_r)}. */
  public static void logSoftmaxRows(float[] out, float[] x, int xOff, int rows, int k) {
    Parallel.forRange(
        rows,
        minRows(k),
        (from, to) -> {
          for (int r = from; r < to; r++) {
            int base = r * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
              max = Math.max(max, x[xOff + base + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
              sum += Math.exp(x[xOff + base + j] - max);
            }
            float shift = (float) (max + Math.log(sum));
            for (int j = 0; j < k; j++) {
              out[base + j] = x[xOff + base + j] - shift;
            }
          }
        });
  }

  /**
   * Backward of log-softmax from its output {@code logp}: {@code gradX[r, j] = g[r, j] −
   * exp(logp[r, j])·Σ_j g[r, j]}.
   */
  public static void logSoftmaxBackwardRows(
      float[] gradX, float[] g, float[] logp, int rows, int k) {
    Parallel.forRange(
        rows,
        minRows(k),
        (from, to) -> {
          for (int r = from; r < to; r++) {
            int base = r * k;
            double sum = 0;
            for (int j = 0; j < k; j++) {
              sum += g[base + j];
            }
            float s = (float) sum;
            for (int j = 0; j < k; j++) {
              gradX[base + j] = g[base + j] - (float) Math.exp(logp[base + j]) * s;
            }
          }
        });
  }
}
