package dev.kronet.engine.kernel;

/**
 * Reduction loops over strided buffers: sums over any set of dimensions (accumulated in double, in
 * a fixed order, so results are deterministic and lose no more than one float rounding), and max
 * with its first arg-max along one dimension.
 */
public final class ReduceLoops {
  private ReduceLoops() {}

  /**
   * Sums the strided view {@code (x, off, shape, strides)} over the dimensions where {@code
   * reduced[d]}; returns the sums in row-major order over the kept dimensions.
   */
  public static double[] sum(float[] x, int off, int[] shape, int[] strides, boolean[] reduced) {
    int rank = shape.length;
    int[] outStrides = new int[rank];
    int kept = 1;
    for (int d = rank - 1; d >= 0; d--) {
      if (!reduced[d]) {
        outStrides[d] = kept;
        kept *= shape[d];
      }
    }
    double[] acc = new double[kept];
    // Kept and reduced dimensions never merge (a kept stride is ≥ 1, a reduced one is 0).
    int[][] geometry = BinaryLoops.coalesce(shape, strides, outStrides);
    int[] dims = geometry[0];
    int[] is = geometry[1];
    int[] os = geometry[2];
    int r = dims.length;
    int inner = dims[r - 1];
    int innerIn = is[r - 1];
    int innerOut = os[r - 1];
    int rows = 1;
    for (int d = 0; d < r - 1; d++) {
      rows *= dims[d];
    }
    if (rows == 0 || inner == 0) {
      return acc;
    }
    int[] index = new int[r];
    int p = off;
    int q = 0;
    for (int row = 0; row < rows; row++) {
      if (innerOut == 0) {
        acc[q] += innerIn == 1 ? denseSum(x, p, inner) : stridedSum(x, p, innerIn, inner);
      } else {
        for (int i = 0; i < inner; i++) {
          acc[q + i * innerOut] += x[p + i * innerIn];
        }
      }
      for (int d = r - 2; d >= 0; d--) {
        index[d]++;
        p += is[d];
        q += os[d];
        if (index[d] < dims[d]) {
          break;
        }
        p -= is[d] * dims[d];
        q -= os[d] * dims[d];
        index[d] = 0;
      }
    }
    return acc;
  }

  /**
   * Σ x[p..p+n) in double with four interleaved partial sums: one running sum is bound by the
   * latency of a double add, four keep the adder busy. The order is fixed, so results are too.
   */
  private static double denseSum(float[] x, int p, int n) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = 0;
    for (; i + 3 < n; i += 4) {
      s0 += x[p + i];
      s1 += x[p + i + 1];
      s2 += x[p + i + 2];
      s3 += x[p + i + 3];
    }
    for (; i < n; i++) {
      s0 += x[p + i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  private static double stridedSum(float[] x, int p, int stride, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += x[p + i * stride];
    }
    return s;
  }

  /**
   * Max along the middle dimension of a contiguous {@code [outer, len, inner]} buffer from {@code
   * off}: {@code values[o·inner + i]} and the index of its first occurrence in {@code
   * indices[o·inner + i]}. NaN wins over any number (it propagates, as in PyTorch). {@code len ≥
   * 1}.
   */
  public static void maxAlong(
      float[] x, int off, int outer, int len, int inner, float[] values, int[] indices) {
    for (int o = 0; o < outer; o++) {
      int base = off + o * len * inner;
      int out = o * inner;
      System.arraycopy(x, base, values, out, inner);
      java.util.Arrays.fill(indices, out, out + inner, 0);
      for (int j = 1; j < len; j++) {
        int row = base + j * inner;
        for (int i = 0; i < inner; i++) {
          float v = x[row + i];
          float best = values[out + i];
          if (v > best || (v != v && best == best)) {
            values[out + i] = v;
            indices[out + i] = j;
          }
        }
      }
    }
  }
}
